package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.build.ImagePass.Written;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Builds the demo corpus, and optionally the small test fixture, from pinned npm and Debian
 * packages; a corpus already built from the same sources is left as it is.
 */
public final class CorpusBuilder {

  private record Job(BuildPlan plan, Path root) {}

  private CorpusBuilder() {}

  /**
   * Builds the demo corpus.
   *
   * @param root the corpus folder
   * @param downloads where source packages are fetched to and reused from
   * @param progress where to report each step
   * @return what was built, or found up to date
   * @throws IOException if a source cannot be fetched or read, or the corpus cannot be written
   */
  public static BuildSummary build(Path root, Path downloads, PrintStream progress)
      throws IOException {
    return run(List.of(new Job(BuildPlan.demo(), root)), downloads, progress).get(0);
  }

  /**
   * Builds the small test fixture: the demo corpus's layout with a few hundred images and a {@code
   * LICENSES.md}.
   *
   * @param dir the fixture folder
   * @param downloads where source packages are fetched to and reused from
   * @param progress where to report each step
   * @return what was built, or found up to date
   * @throws IOException if a source cannot be fetched or read, or the fixture cannot be written
   */
  public static BuildSummary buildFixture(Path dir, Path downloads, PrintStream progress)
      throws IOException {
    return run(List.of(new Job(BuildPlan.fixture(), dir)), downloads, progress).get(0);
  }

  /**
   * Builds the demo corpus from the command line: {@code --root DIR} (default {@code data/demo}),
   * {@code --downloads DIR} (default {@code data/downloads}) and {@code --fixture DIR} to also
   * write the test fixture there.
   */
  public static void main(String[] args) {
    Path root = Path.of("data/demo");
    Path downloads = Path.of("data/downloads");
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--root" -> root = Path.of(required(args[i], value));
        case "--downloads" -> downloads = Path.of(required(args[i], value));
        case "--fixture" ->
            jobs.add(new Job(BuildPlan.fixture(), Path.of(required(args[i], value))));
        default -> usage("unknown argument " + args[i]);
      }
      i++;
    }
    jobs.add(0, new Job(BuildPlan.demo(), root));
    try {
      run(jobs, downloads, System.out).forEach(s -> s.print(System.out));
    } catch (IOException e) {
      System.err.println("Corpus build failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static String required(String flag, String value) {
    if (value == null) {
      usage(flag + " needs a folder");
    }
    return value;
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: CorpusBuilder [--root DIR] [--downloads DIR] [--fixture DIR]");
    System.exit(2);
  }

  private static List<BuildSummary> run(List<Job> jobs, Path downloads, PrintStream progress)
      throws IOException {
    long started = System.nanoTime();
    Set<SourcePackage> packages = new LinkedHashSet<>();
    jobs.forEach(j -> packages.addAll(packagesOf(j.plan())));
    progress.println("Fetching " + packages.size() + " source packages into " + downloads);
    SourceSet sources = SourceSet.fetch(packages, downloads, progress);

    List<BuildSummary> summaries = new ArrayList<>();
    List<Job> pending = new ArrayList<>();
    for (Job job : jobs) {
      JsonObject current = currentManifest(job, sources);
      if (current != null) {
        progress.printf(
            "%s corpus in %s is up to date; nothing to do%n", job.plan().name(), job.root());
        summaries.add(BuildSummary.fromManifest(job.root(), current, true, seconds(started)));
      } else {
        pending.add(job);
      }
    }
    if (!pending.isEmpty()) {
      List<BuildSummary> built = build(pending, sources, progress, started);
      for (int i = 0, b = 0; i < jobs.size(); i++) {
        if (pending.contains(jobs.get(i))) {
          summaries.add(i, built.get(b++));
        }
      }
    }
    return summaries;
  }

  private static List<BuildSummary> build(
      List<Job> jobs, SourceSet sources, PrintStream progress, long started) throws IOException {
    ImageIO.setUseCache(false);
    progress.println("Reading emoji and clip-art metadata");
    Tally catalogSkips = new Tally();
    List<Emoji> emoji =
        EmojiCatalog.read(
            sources.get(SourcePackage.EMOJIBASE),
            sources.get(SourcePackage.emojiVendor(SourcePackage.HELDOUT_VENDOR)),
            vendorsOf(jobs),
            catalogSkips);
    FetchedSource svg = sources.get(SourcePackage.CLIPART_SVG);
    FetchedSource png = sources.get(SourcePackage.CLIPART_PNG);
    Map<String, List<String>> clipart =
        svg == null || png == null ? null : ClipartCatalog.read(svg);

    List<CorpusPlanner> planners = new ArrayList<>();
    for (Job job : jobs) {
      clear(job.root());
      planners.add(new CorpusPlanner(job.plan(), job.root(), emoji, clipart, catalogSkips));
    }
    Map<Path, Written> written = CorpusImages.write(planners, vendorsOf(jobs), sources, progress);

    List<BuildSummary> summaries = new ArrayList<>();
    for (CorpusPlanner planner : planners) {
      JsonObject manifest = CorpusAssembler.write(planner, written, emoji, sources);
      summaries.add(BuildSummary.fromManifest(planner.root(), manifest, false, seconds(started)));
    }
    return summaries;
  }

  /** Returns the manifest when the corpus is complete and built from these sources, else null. */
  private static JsonObject currentManifest(Job job, SourceSet sources) throws IOException {
    DemoCorpus corpus = new DemoCorpus(job.root());
    if (!corpus.isBuilt()) {
      return null;
    }
    JsonObject manifest = DemoCorpus.readJson(corpus.manifest());
    if (!job.plan().toJson().equals(manifest.getJsonObject("plan"))) {
      return null;
    }
    Set<String> built = new LinkedHashSet<>();
    for (Object o : manifest.getJsonArray("sources", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      built.add(
          s.getString("package") + "@" + s.getString("version") + ":" + s.getString("sha256"));
    }
    Set<String> now = new LinkedHashSet<>();
    for (SourcePackage pkg : packagesOf(job.plan())) {
      FetchedSource f = sources.get(pkg);
      if (f != null) {
        now.add(pkg.name() + "@" + pkg.version() + ":" + f.sha256());
      }
    }
    return built.equals(now) ? manifest : null;
  }

  static List<SourcePackage> packagesOf(BuildPlan plan) {
    List<SourcePackage> packages = new ArrayList<>();
    packages.add(SourcePackage.EMOJIBASE);
    plan.trainVendors().forEach(v -> packages.add(SourcePackage.emojiVendor(v)));
    packages.add(SourcePackage.emojiVendor(SourcePackage.HELDOUT_VENDOR));
    packages.add(SourcePackage.CLIPART_PNG);
    packages.add(SourcePackage.CLIPART_SVG);
    return packages;
  }

  private static List<String> vendorsOf(List<Job> jobs) {
    Set<String> vendors = new LinkedHashSet<>();
    jobs.forEach(j -> vendors.addAll(j.plan().trainVendors()));
    vendors.add(SourcePackage.HELDOUT_VENDOR);
    return List.copyOf(vendors);
  }

  // The manifest goes first, so that a build interrupted from here on is never taken as complete.
  private static void clear(Path root) throws IOException {
    DemoCorpus corpus = new DemoCorpus(root);
    Files.deleteIfExists(corpus.manifest());
    Files.deleteIfExists(root.resolve("LICENSES.md"));
    Fetcher.deleteTree(root.resolve("pretrain"));
    Fetcher.deleteTree(root.resolve("heldout"));
    Fetcher.deleteTree(corpus.cacheDir());
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
