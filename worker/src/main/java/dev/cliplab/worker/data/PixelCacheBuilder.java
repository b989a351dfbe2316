package dev.cliplab.worker.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes a list of images in parallel into a new pixel cache file. */
final class PixelCacheBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(PixelCacheBuilder.class);

  private final Path imagesDir;
  private final List<CaptionedImage> images;
  private final int size;
  private final AtomicInteger done = new AtomicInteger();

  PixelCacheBuilder(Path imagesDir, List<CaptionedImage> images, int size) {
    this.imagesDir = imagesDir;
    this.images = images;
    this.size = size;
  }

  /** Writes the cache to a temporary file beside the target, then moves it into place. */
  void build(CacheHeader header, Path cacheFile) throws IOException {
    Path parent = cacheFile.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, cacheFile.getFileName().toString(), ".tmp");
    long started = System.nanoTime();
    LOG.info("Building the {} px pixel cache of {} images in {}", size, images.size(), cacheFile);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        writeFully(ch, ByteBuffer.wrap(header.bytes()), 0);
        decodeAll(ch);
      }
      Files.move(
          tmp, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    LOG.info(
        "Built the pixel cache of {} images in {} ms",
        images.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  private void decodeAll(FileChannel ch) throws IOException {
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), images.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> tasks = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        int index = i;
        tasks.add(pool.submit(() -> decodeOne(ch, index)));
      }
      for (Future<?> task : tasks) {
        await(task);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void decodeOne(FileChannel ch, int index) {
    CaptionedImage image = images.get(index);
    Path file = imagesDir.resolve(image.fileName());
    try {
      BufferedImage decoded = ImageIO.read(file.toFile());
      if (decoded == null) {
        throw new IOException("no ImageIO reader decodes image " + image.id() + ": " + file);
      }
      int[] rgb =
          Pixels.data(Pixels.resize(Pixels.padToSquare(Pixels.onWhite(decoded)), size, size));
      ByteBuffer hwc = ByteBuffer.allocate(rgb.length * 3);
      for (int p : rgb) {
        hwc.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
      }
      writeFully(ch, hwc.flip(), CacheHeader.BYTES + index * PixelCache.bytesPerImage(size));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cache image " + image.id() + " (" + file + ")", e);
    }
    logProgress(done.incrementAndGet());
  }

  private void logProgress(int n) {
    int total = images.size();
    int step = Math.max(1, total / 10);
    if (n % step == 0 || n == total) {
      LOG.info("Pixel cache: decoded {} of {} images", n, total);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long at = position;
    while (buf.hasRemaining()) {
      at += ch.write(buf, at);
    }
  }

  private static void await(Future<?> task) throws IOException {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building the pixel cache", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw new IOException(u.getMessage(), u.getCause());
      }
      throw new IOException("cannot build the pixel cache: " + e.getCause(), e.getCause());
    }
  }
}
