package dev.cliplab.worker.data.build;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The source packages a build uses, fetched or reused, with their licences. */
final class SourceSet {

  private final Map<SourcePackage, FetchedSource> fetched;
  private final Map<SourcePackage, String> skipped;
  private final Map<SourcePackage, String> licences = new HashMap<>();

  private SourceSet(Map<SourcePackage, FetchedSource> fetched, Map<SourcePackage, String> skipped) {
    this.fetched = fetched;
    this.skipped = skipped;
  }

  /**
   * Fetches the packages, leaving out the Debian ones, with a note, where only npm sources are
   * wanted or {@code apt-get} is missing.
   */
  static SourceSet fetch(
      Collection<SourcePackage> wanted, FetchOptions options, PrintStream progress)
      throws IOException {
    String noApt = debianSkipReason(wanted, options.npmOnly());
    Map<SourcePackage, FetchedSource> fetched = new LinkedHashMap<>();
    Map<SourcePackage, String> skipped = new LinkedHashMap<>();
    try (Fetcher fetcher = new Fetcher(options.downloads(), options.pins(), progress)) {
      for (SourcePackage pkg : wanted) {
        if (pkg.kind() == SourcePackage.Kind.DEBIAN && noApt != null) {
          skipped.put(pkg, noApt);
          progress.printf("  skipped %s: %s%n", pkg.spec(), noApt);
        } else {
          fetched.put(pkg, fetcher.fetch(pkg));
        }
      }
    }
    return new SourceSet(fetched, skipped);
  }

  // Null when the Debian packages are to be fetched.
  private static String debianSkipReason(Collection<SourcePackage> wanted, boolean npmOnly) {
    if (wanted.stream().noneMatch(p -> p.kind() == SourcePackage.Kind.DEBIAN)) {
      return null;
    }
    if (npmOnly) {
      return "only the npm sources were asked for";
    }
    return Fetcher.aptAvailable() ? null : "apt-get is not available here";
  }

  /** Returns the fetched package, or null when it was skipped. */
  FetchedSource get(SourcePackage pkg) {
    return fetched.get(pkg);
  }

  /** Returns the packages that were not fetched, each with why. */
  List<String> skipped() {
    List<String> notes = new ArrayList<>();
    skipped.forEach((pkg, why) -> notes.add(pkg.spec() + " (" + why + ")"));
    return notes;
  }

  /** Returns why a package was not fetched, or null when it was. */
  String whySkipped(SourcePackage pkg) {
    return skipped.get(pkg);
  }

  /**
   * Returns the manifest entry of a package, with what the corpus took from it.
   *
   * @param pkg the package
   * @param contributed images and captions by split or transfer set, as {@code {images, captions}};
   *     a transfer set whose images are a split's copies says so with {@code copyOf}, and is left
   *     out of the totals
   */
  JsonObject entry(SourcePackage pkg, JsonObject contributed) throws IOException {
    FetchedSource s = fetched.get(pkg);
    String licence = licences.get(pkg);
    if (licence == null) {
      licence = Licences.of(s);
      licences.put(pkg, licence);
    }
    int images = 0;
    int captions = 0;
    for (String split : contributed.fieldNames()) {
      JsonObject c = contributed.getJsonObject(split);
      if (!c.containsKey("copyOf")) {
        images += c.getInteger("images", 0);
        captions += c.getInteger("captions", 0);
      }
    }
    return new JsonObject()
        .put("package", pkg.name())
        .put("version", pkg.version())
        .put("kind", pkg.kind().name().toLowerCase(Locale.ROOT))
        .put("file", s.file().getFileName().toString())
        .put("bytes", s.bytes())
        .put("sha256", s.sha256())
        .put("license", licence)
        .put("artworkLicense", pkg.artworkLicense())
        .put("images", images)
        .put("captions", captions)
        .put("contributed", contributed);
  }
}
