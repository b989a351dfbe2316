package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.build.ImagePass.Target;
import dev.cliplab.worker.data.build.ImagePass.Written;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Runs one image pass per package for all corpora being built at once, so that each archive is read
 * once however many corpora take images from it.
 */
final class CorpusImages {

  /**
   * The images the passes wrote.
   *
   * @param written the size each file was written at
   * @param undecodable the files whose image was in its package but did not decode
   */
  record Images(Map<Path, Written> written, Set<Path> undecodable) {

    /** Tells why a chosen file was not written: its image did not decode, or was not there. */
    String whyMissing(Path file) {
      return undecodable.contains(file)
          ? "image that does not decode (truncated, or not an image)"
          : "image missing from its package";
    }
  }

  private CorpusImages() {}

  /** Writes the images every planner chose. */
  static Images write(
      List<CorpusPlanner> planners,
      List<String> vendors,
      SourceSet sources,
      Catalogs catalogs,
      PrintStream progress)
      throws IOException {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Images all = new Images(new HashMap<>(), new HashSet<>());
    try {
      ImagePass pass = new ImagePass(pool, threads);
      for (String vendor : vendors) {
        Map<String, List<Target>> wanted = merge(planners, p -> p.emojiTargets(vendor));
        FetchedSource pkg = sources.get(SourcePackage.emojiVendor(vendor));
        add(all, run(pass, pkg, wanted, progress));
      }
      if (catalogs.stamps() != null) {
        long started = System.nanoTime();
        Map<String, List<Target>> wanted = merge(planners, CorpusPlanner::stampTargets);
        ImagePass.Result r =
            pass.run(catalogs.stamps().images(), k -> wanted.getOrDefault(k, List.of()));
        report(progress, r, sources.get(SourcePackage.TUXPAINT_STAMPS), started);
        add(all, r);
      }
      FetchedSource png = sources.get(SourcePackage.CLIPART_PNG);
      if (png != null && sources.get(SourcePackage.CLIPART_SVG) != null) {
        add(all, clipart(pass, planners, png, progress));
      }
    } finally {
      pool.shutdownNow();
    }
    return all;
  }

  private static ImagePass.Result run(
      ImagePass pass, FetchedSource pkg, Map<String, List<Target>> wanted, PrintStream progress)
      throws IOException {
    long started = System.nanoTime();
    ImagePass.Result r = pass.run(pkg, k -> wanted.getOrDefault(k, List.of()), wanted.size());
    report(progress, r, pkg, started);
    return r;
  }

  private static ImagePass.Result clipart(
      ImagePass pass, List<CorpusPlanner> planners, FetchedSource png, PrintStream progress)
      throws IOException {
    long started = System.nanoTime();
    ImagePass.Result r = pass.run(png, path -> clipartTargets(planners, path), -1);
    for (CorpusPlanner p : planners) {
      if (p.plan().clipart() < 0) {
        p.skips().add("clip-art copy (symbolic link) in the PNG package", r.links());
      }
    }
    report(progress, r, png, started);
    return r;
  }

  private static void add(Images all, ImagePass.Result r) {
    all.written().putAll(r.written());
    all.undecodable().addAll(r.undecodable());
  }

  private static void report(
      PrintStream progress, ImagePass.Result r, FetchedSource pkg, long started) {
    progress.printf(
        "  wrote %,d images from %s (%.1f s)%s%n",
        r.written().size(),
        pkg.file().getFileName(),
        CorpusBuilder.seconds(started),
        r.undecodable().isEmpty() ? "" : "; " + r.undecodable().size() + " did not decode");
  }

  private static Map<String, List<Target>> merge(
      List<CorpusPlanner> planners, Function<CorpusPlanner, Map<String, List<Target>>> targets) {
    Map<String, List<Target>> wanted = new HashMap<>();
    for (CorpusPlanner p : planners) {
      targets.apply(p).forEach((path, t) -> wanted.merge(path, t, CorpusImages::concat));
    }
    return wanted;
  }

  private static List<Target> clipartTargets(List<CorpusPlanner> planners, String path) {
    List<Target> targets = new ArrayList<>();
    planners.forEach(p -> targets.addAll(p.clipartTargets(path)));
    return targets;
  }

  private static List<Target> concat(List<Target> a, List<Target> b) {
    List<Target> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
