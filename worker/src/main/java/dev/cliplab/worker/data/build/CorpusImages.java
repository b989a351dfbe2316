package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.build.ImagePass.Target;
import dev.cliplab.worker.data.build.ImagePass.Written;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one image pass per package for all corpora being built at once, so that each archive is read
 * once however many corpora take images from it.
 */
final class CorpusImages {

  private CorpusImages() {}

  /** Writes the images every planner chose and returns the size each file was written at. */
  static Map<Path, Written> write(
      List<CorpusPlanner> planners, List<String> vendors, SourceSet sources, PrintStream progress)
      throws IOException {
    int threads = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    Map<Path, Written> written = new HashMap<>();
    try {
      ImagePass pass = new ImagePass(pool, threads);
      for (String vendor : vendors) {
        written.putAll(emoji(pass, planners, vendor, sources, progress));
      }
      FetchedSource png = sources.get(SourcePackage.CLIPART_PNG);
      if (png != null && sources.get(SourcePackage.CLIPART_SVG) != null) {
        written.putAll(clipart(pass, planners, png, progress));
      }
    } finally {
      pool.shutdownNow();
    }
    return written;
  }

  private static Map<Path, Written> emoji(
      ImagePass pass,
      List<CorpusPlanner> planners,
      String vendor,
      SourceSet sources,
      PrintStream progress)
      throws IOException {
    Map<String, List<Target>> wanted = new HashMap<>();
    for (CorpusPlanner p : planners) {
      p.emojiTargets(vendor).forEach((path, t) -> wanted.merge(path, t, CorpusImages::concat));
    }
    long started = System.nanoTime();
    FetchedSource pkg = sources.get(SourcePackage.emojiVendor(vendor));
    ImagePass.Result r = pass.run(pkg, k -> wanted.getOrDefault(k, List.of()), wanted.size());
    report(progress, r, pkg, started);
    return r.written();
  }

  private static Map<Path, Written> clipart(
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
    return r.written();
  }

  private static void report(
      PrintStream progress, ImagePass.Result r, FetchedSource pkg, long started) {
    progress.printf(
        "  wrote %,d images from %s (%.1f s)%n",
        r.written().size(), pkg.file().getFileName(), CorpusBuilder.seconds(started));
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
