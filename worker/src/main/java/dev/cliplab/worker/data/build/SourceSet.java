package dev.cliplab.worker.data.build;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
  private final List<String> skipped;
  private final Map<SourcePackage, String> licences = new HashMap<>();

  private SourceSet(Map<SourcePackage, FetchedSource> fetched, List<String> skipped) {
    this.fetched = fetched;
    this.skipped = skipped;
  }

  /**
   * Fetches the packages, leaving out the Debian ones, with a note, where {@code apt-get} is
   * missing.
   */
  static SourceSet fetch(Collection<SourcePackage> wanted, Path downloads, PrintStream progress)
      throws IOException {
    Fetcher fetcher = new Fetcher(downloads, progress);
    boolean apt =
        wanted.stream().anyMatch(p -> p.kind() == SourcePackage.Kind.DEBIAN)
            && Fetcher.aptAvailable();
    Map<SourcePackage, FetchedSource> fetched = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (SourcePackage pkg : wanted) {
      if (pkg.kind() == SourcePackage.Kind.DEBIAN && !apt) {
        skipped.add(pkg.spec() + " (apt-get is not available here)");
        progress.printf("  skipped %s: apt-get is not available here%n", pkg.spec());
      } else {
        fetched.put(pkg, fetcher.fetch(pkg));
      }
    }
    return new SourceSet(fetched, skipped);
  }

  /** Returns the fetched package, or null when it was skipped. */
  FetchedSource get(SourcePackage pkg) {
    return fetched.get(pkg);
  }

  /** Returns the packages that could not be fetched, each with why. */
  List<String> skipped() {
    return List.copyOf(skipped);
  }

  /** Returns the manifest entry of a package, with what the corpus took from it. */
  JsonObject entry(SourcePackage pkg, int images, int captions) throws IOException {
    FetchedSource s = fetched.get(pkg);
    String licence = licences.get(pkg);
    if (licence == null) {
      licence = Licences.of(s);
      licences.put(pkg, licence);
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
        .put("captions", captions);
  }
}
