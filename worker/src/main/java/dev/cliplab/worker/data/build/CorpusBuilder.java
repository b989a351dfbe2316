package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
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

  /** One corpus to build: a plan and the folder it goes to. */
  record Job(BuildPlan plan, Path root) {}

  private CorpusBuilder() {}

  /**
   * Builds the demo corpus from every source this machine can fetch.
   *
   * @param root the corpus folder
   * @param downloads where source packages are fetched to and reused from
   * @param progress where to report each step and, at the end, the summary
   * @return what was built, or found up to date
   * @throws IOException if a source cannot be fetched, read or verified, or the corpus cannot be
   *     written
   */
  public static BuildSummary build(Path root, Path downloads, PrintStream progress)
      throws IOException {
    return build(root, downloads, progress, false);
  }

  /**
   * Builds the demo corpus, from the npm sources alone if asked: no clip art, stamps or
   * Fashion-MNIST, which the manifest and the summary then say.
   *
   * @param root the corpus folder
   * @param downloads where source packages are fetched to and reused from
   * @param progress where to report each step and, at the end, the summary
   * @param npmOnly whether to leave out the Debian packages even where {@code apt-get} runs
   * @return what was built, or found up to date
   * @throws IOException if a source cannot be fetched, read or verified, or the corpus cannot be
   *     written
   */
  public static BuildSummary build(Path root, Path downloads, PrintStream progress, boolean npmOnly)
      throws IOException {
    FetchOptions options = new FetchOptions(downloads, Pins.PINNED, npmOnly);
    return run(List.of(new Job(BuildPlan.demo(), root)), options, progress).get(0);
  }

  /**
   * Builds the small test fixture: the demo corpus's layout with a few hundred images and a {@code
   * LICENSES.md}.
   *
   * @param dir the fixture folder
   * @param downloads where source packages are fetched to and reused from
   * @param progress where to report each step and, at the end, the summary
   * @return what was built, or found up to date
   * @throws IOException if a source cannot be fetched, read or verified, or the fixture cannot be
   *     written
   */
  public static BuildSummary buildFixture(Path dir, Path downloads, PrintStream progress)
      throws IOException {
    FetchOptions options = new FetchOptions(downloads, Pins.PINNED, false);
    return run(List.of(new Job(BuildPlan.fixture(), dir)), options, progress).get(0);
  }

  /**
   * Builds the demo corpus from the command line: {@code --root DIR} (default {@code data/demo}),
   * {@code --downloads DIR} (default {@code data/downloads}), {@code --fixture DIR} to also write
   * the test fixture there, and {@code --npm-only} to leave out the Debian sources.
   */
  public static void main(String[] args) {
    Path root = Path.of("data/demo");
    Path downloads = Path.of("data/downloads");
    boolean npmOnly = false;
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--root" -> root = Path.of(required(args[i++], value));
        case "--downloads" -> downloads = Path.of(required(args[i++], value));
        case "--fixture" ->
            jobs.add(new Job(BuildPlan.fixture(), Path.of(required(args[i++], value))));
        case "--npm-only" -> npmOnly = true;
        default -> usage("unknown argument " + args[i]);
      }
    }
    jobs.add(0, new Job(BuildPlan.demo(), root));
    try {
      run(jobs, new FetchOptions(downloads, Pins.PINNED, npmOnly), System.out);
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
    System.err.println(
        "usage: CorpusBuilder [--root DIR] [--downloads DIR] [--fixture DIR] [--npm-only]");
    System.exit(2);
  }

  /** Builds one plan with the given fetch options; tests pin their own small packages this way. */
  static BuildSummary build(BuildPlan plan, Path root, FetchOptions options, PrintStream progress)
      throws IOException {
    return run(List.of(new Job(plan, root)), options, progress).get(0);
  }

  private static List<BuildSummary> run(List<Job> jobs, FetchOptions options, PrintStream progress)
      throws IOException {
    long started = System.nanoTime();
    Set<SourcePackage> packages = new LinkedHashSet<>();
    jobs.forEach(j -> packages.addAll(packagesOf(j.plan())));
    progress.printf("[fetch] %d source packages into %s%n", packages.size(), options.downloads());
    SourceSet sources = SourceSet.fetch(packages, options, progress);

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
    summaries.forEach(s -> s.print(progress));
    return summaries;
  }

  private static List<BuildSummary> build(
      List<Job> jobs, SourceSet sources, PrintStream progress, long started) throws IOException {
    ImageIO.setUseCache(false);
    Catalogs catalogs = readCatalogs(jobs, sources, progress);

    List<CorpusPlanner> planners = new ArrayList<>();
    for (Job job : jobs) {
      clear(job.root());
      planners.add(new CorpusPlanner(job.plan(), job.root(), catalogs));
    }
    progress.println("[images] decoding, compositing on white, shrinking");
    CorpusImages.Images images =
        CorpusImages.write(planners, vendorsOf(jobs), sources, catalogs, progress);

    progress.println("[write] annotations, transfer sets, manifest");
    List<BuildSummary> summaries = new ArrayList<>();
    for (CorpusPlanner planner : planners) {
      JsonObject manifest =
          CorpusAssembler.write(planner, images, catalogs.emoji(), sources, progress);
      summaries.add(BuildSummary.fromManifest(planner.root(), manifest, false, seconds(started)));
    }
    return summaries;
  }

  private static Catalogs readCatalogs(List<Job> jobs, SourceSet sources, PrintStream progress)
      throws IOException {
    progress.println("[metadata] emoji names and tags, clip-art metadata, stamp descriptions");
    Tally skips = new Tally();
    List<Emoji> emoji =
        EmojiCatalog.read(
            sources.get(SourcePackage.EMOJIBASE),
            sources.get(SourcePackage.emojiVendor(SourcePackage.HELDOUT_VENDOR)),
            vendorsOf(jobs),
            skips);
    progress.printf("  %,d emoji with an emojibase label and group%n", emoji.size());
    FetchedSource svg = sources.get(SourcePackage.CLIPART_SVG);
    FetchedSource png = sources.get(SourcePackage.CLIPART_PNG);
    Map<String, List<String>> clipart = null;
    if (svg != null && png != null) {
      clipart = ClipartCatalog.read(svg);
      long captioned = clipart.values().stream().filter(c -> c != null && !c.isEmpty()).count();
      progress.printf("  %,d drawings, %,d with a usable caption%n", clipart.size(), captioned);
    }
    FetchedSource stampPackage = sources.get(SourcePackage.TUXPAINT_STAMPS);
    StampCatalog.Stamps stamps = null;
    if (stampPackage != null) {
      stamps = StampCatalog.read(stampPackage, skips);
      progress.printf("  %,d stamps with a PNG and an English sentence%n", stamps.stamps().size());
    }
    return new Catalogs(emoji, clipart, stamps, skips);
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
    packages.add(SourcePackage.TUXPAINT_STAMPS);
    packages.add(SourcePackage.FASHION_MNIST);
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
    Fetcher.deleteTree(root.resolve("transfer"));
    Fetcher.deleteTree(corpus.cacheDir());
  }

  static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
