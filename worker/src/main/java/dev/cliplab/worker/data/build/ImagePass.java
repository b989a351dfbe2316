package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.Pixels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one package and, while it streams, decodes, composites, shrinks and writes the wanted
 * images on a thread pool: decompressing the archive and decoding images overlap.
 */
final class ImagePass {

  private static final Logger LOG = LoggerFactory.getLogger(ImagePass.class);

  /**
   * Where one image goes, and how large.
   *
   * @param file the PNG to write
   * @param longSide the most pixels on its longer side; smaller images are not enlarged
   */
  record Target(Path file, int longSide) {}

  /**
   * The size an image was written at.
   *
   * @param width its width in pixels
   * @param height its height in pixels
   */
  record Written(int width, int height) {}

  /**
   * What a pass did.
   *
   * @param written the size of each written file; a target whose image is missing or does not
   *     decode is absent
   * @param undecodable the targets whose image was there but did not decode (truncated, or not an
   *     image)
   * @param links the number of symbolic links met, which are copies and never written
   */
  record Result(Map<Path, Written> written, Set<Path> undecodable, int links) {}

  private final ExecutorService pool;
  private final Semaphore inFlight;

  ImagePass(ExecutorService pool, int threads) {
    this.pool = pool;
    // Bounds the undecoded images held in memory while the archive runs ahead of the decoders.
    this.inFlight = new Semaphore(4 * threads);
  }

  /**
   * Writes the wanted images of a package.
   *
   * @param pkg the package
   * @param wanted the targets of an entry path, empty when it is not wanted
   * @param expected how many entries are wanted, so that reading can stop once all were seen, or -1
   *     when that is only known at the end
   * @return what was written
   */
  Result run(FetchedSource pkg, Function<String, List<Target>> wanted, int expected)
      throws IOException {
    Collector collector = new Collector(wanted, expected);
    Archives.visit(pkg, collector);
    return collector.finish();
  }

  /**
   * Writes the wanted images of files already read from a package.
   *
   * @param files the files' bytes by entry path
   * @param wanted the targets of an entry path, empty when it is not wanted
   * @return what was written
   */
  Result run(Map<String, byte[]> files, Function<String, List<Target>> wanted) throws IOException {
    Collector collector = new Collector(wanted, -1);
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      collector.file(f.getKey(), new ByteArrayInputStream(f.getValue()));
    }
    return collector.finish();
  }

  /** Hands each wanted entry to the pool as it streams by. */
  private final class Collector implements Archives.Visitor {
    private final Function<String, List<Target>> wanted;
    private final int expected;
    private final Map<Path, Written> written = new ConcurrentHashMap<>();
    private final Set<Path> undecodable = ConcurrentHashMap.newKeySet();
    private final List<Future<?>> tasks = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private int links;

    Collector(Function<String, List<Target>> wanted, int expected) {
      this.wanted = wanted;
      this.expected = expected;
    }

    @Override
    public void file(String path, InputStream in) throws IOException {
      List<Target> targets = wanted.apply(path);
      if (!targets.isEmpty() && seen.add(path)) {
        byte[] bytes = in.readAllBytes();
        inFlight.acquireUninterruptibly();
        tasks.add(pool.submit(() -> write(path, bytes, targets, written, undecodable)));
      }
    }

    @Override
    public void link(String path, String target) {
      links++;
    }

    @Override
    public boolean done() {
      return seen.size() == expected;
    }

    Result finish() throws IOException {
      for (Future<?> task : tasks) {
        await(task);
      }
      return new Result(written, undecodable, links);
    }
  }

  private void write(
      String path,
      byte[] bytes,
      List<Target> targets,
      Map<Path, Written> out,
      Set<Path> undecodable) {
    try {
      int longest = targets.stream().mapToInt(Target::longSide).max().orElse(1);
      BufferedImage rgb = decode(path, bytes, longest);
      if (rgb == null) {
        targets.forEach(t -> undecodable.add(t.file()));
        return;
      }
      for (Target t : targets) {
        BufferedImage small = shrink(rgb, t.longSide());
        Files.createDirectories(t.file().getParent());
        if (!ImageIO.write(small, "png", t.file().toFile())) {
          throw new IOException("no PNG writer in this JDK");
        }
        out.put(t.file(), new Written(small.getWidth(), small.getHeight()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the image of " + path, e);
    } finally {
      inFlight.release();
    }
  }

  // A broken image in a package is the package's problem, not the build's: it is left out, named
  // in the log and counted in the build summary.
  private static BufferedImage decode(String path, byte[] bytes, int longSide) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IOException("no ImageIO reader for it");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(Math.max(reader.getWidth(0), reader.getHeight(0)), longSide);
        param.setSourceSubsampling(step, step, 0, 0);
        return Pixels.onWhite(reader.read(0, param));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Skipping image {}, which does not decode: {}", path, e.toString());
      return null;
    }
  }

  // Drawings of several megapixels are read at every n-th pixel, still at least four times the
  // target size, which the area-averaging shrink then smooths; it halves the conversion work.
  static int subsampling(int longer, int longSide) {
    return Math.max(1, longer / (4 * longSide));
  }

  /** Scales an image so that its longer side is at most {@code longSide}, keeping the aspect. */
  static BufferedImage shrink(BufferedImage rgb, int longSide) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    int longer = Math.max(w, h);
    if (longer <= longSide) {
      return rgb;
    }
    int nw = Math.max(1, Math.round((float) w * longSide / longer));
    int nh = Math.max(1, Math.round((float) h * longSide / longer));
    return Pixels.resize(rgb, nw, nh);
  }

  private static void await(Future<?> task) throws IOException {
    try {
      task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while writing images", e);
    } catch (ExecutionException e) {
      throw new IOException("image writing failed", e.getCause());
    }
  }
}
