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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes the images of a source in parallel into a new pixel cache file. */
final class PixelCacheBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(PixelCacheBuilder.class);

  // Images handed to the pool but not yet written, per thread: enough to keep every thread busy,
  // few enough that a streamed source (an IDX file) is never held in memory whole.
  private static final int IN_FLIGHT_PER_THREAD = 4;

  private final ImageSource images;
  private final int size;
  private final AtomicInteger done = new AtomicInteger();

  PixelCacheBuilder(ImageSource images, int size) {
    this.images = images;
    this.size = size;
  }

  /** Writes the cache to a temporary file beside the target, then moves it into place. */
  void build(CacheHeader header, Path cacheFile) throws IOException {
    Path parent = cacheFile.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, cacheFile.getFileName().toString(), ".tmp");
    long started = System.nanoTime();
    LOG.info("Building the {} px pixel cache of {} images in {}", size, images.count(), cacheFile);
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
        images.count(),
        (System.nanoTime() - started) / 1_000_000);
  }

  private void decodeAll(FileChannel ch) throws IOException {
    int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), images.count()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Deque<Future<?>> inFlight = new ArrayDeque<>();
      int[] next = {0};
      images.forEach(
          (index, loader) -> {
            if (index != next[0]) {
              throw new IOException(
                  images + " handed out image " + index + " where " + next[0] + " was due");
            }
            next[0]++;
            inFlight.add(pool.submit(() -> decodeOne(ch, index, loader)));
            if (inFlight.size() >= threads * IN_FLIGHT_PER_THREAD) {
              await(inFlight.removeFirst());
            }
          });
      while (!inFlight.isEmpty()) {
        await(inFlight.removeFirst());
      }
      if (next[0] != images.count()) {
        throw new IOException(images + " handed out " + next[0] + " of " + images.count());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void decodeOne(FileChannel ch, int index, ImageSource.Loader loader) {
    try {
      BufferedImage decoded = loader.load();
      int[] rgb =
          Pixels.data(Pixels.resize(Pixels.padToSquare(Pixels.onWhite(decoded)), size, size));
      ByteBuffer hwc = ByteBuffer.allocate(rgb.length * 3);
      for (int p : rgb) {
        hwc.put((byte) (p >> 16)).put((byte) (p >> 8)).put((byte) p);
      }
      writeFully(ch, hwc.flip(), CacheHeader.BYTES + index * PixelCache.bytesPerImage(size));
    } catch (IOException e) {
      // The loader's message names the file already.
      throw failure(index, e.getMessage(), e);
    } catch (RuntimeException e) {
      String where = images.file(index).map(f -> f + ": ").orElse("");
      throw failure(index, where + e, new IOException(e));
    }
    logProgress(done.incrementAndGet());
  }

  private UncheckedIOException failure(int index, String message, IOException cause) {
    return new UncheckedIOException(
        "cannot cache image " + images.id(index) + ": " + message, cause);
  }

  private void logProgress(int n) {
    int total = images.count();
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
