package dev.cliplab.worker.data.build;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a corpus build produced, or found already built: counts per source and split, and the images
 * and sources it left out.
 *
 * @param root the corpus folder
 * @param plan the plan's name
 * @param upToDate whether the corpus was already complete and built from the same sources
 * @param sources images and captions per source package
 * @param splits images and captions per split ({@code train}, {@code val}, {@code heldout})
 * @param skipped images left out, by reason
 * @param skippedSources sources that could not be fetched here, with why
 * @param zeroShotClasses the number of classes of the emoji-group task
 * @param zeroShotPerClass the held-out images labelled in each class
 * @param seconds how long the build took
 */
public record BuildSummary(
    Path root,
    String plan,
    boolean upToDate,
    Map<String, Counts> sources,
    Map<String, Counts> splits,
    Map<String, Long> skipped,
    List<String> skippedSources,
    int zeroShotClasses,
    int zeroShotPerClass,
    double seconds) {

  /**
   * A number of images and of captions.
   *
   * @param images the images
   * @param captions the captions
   */
  public record Counts(int images, int captions) {

    static Counts of(JsonObject o) {
      return new Counts(o.getInteger("images", 0), o.getInteger("captions", 0));
    }
  }

  /** Reads the summary back from a corpus manifest. */
  static BuildSummary fromManifest(
      Path root, JsonObject manifest, boolean upToDate, double seconds) {
    Map<String, Counts> sources = new LinkedHashMap<>();
    for (Object o : manifest.getJsonArray("sources", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      sources.put(s.getString("package") + "@" + s.getString("version"), Counts.of(s));
    }
    Map<String, Counts> splits = new LinkedHashMap<>();
    manifest
        .getJsonObject("splits", new JsonObject())
        .forEach(e -> splits.put(e.getKey(), Counts.of((JsonObject) e.getValue())));
    Map<String, Long> skipped = new LinkedHashMap<>();
    manifest
        .getJsonObject("skipped", new JsonObject())
        .forEach(e -> skipped.put(e.getKey(), ((Number) e.getValue()).longValue()));
    List<String> skippedSources = new ArrayList<>();
    manifest
        .getJsonArray("skippedSources", new JsonArray())
        .forEach(s -> skippedSources.add(s.toString()));
    JsonObject groups = manifest.getJsonObject("emojiGroups", new JsonObject());
    return new BuildSummary(
        root,
        manifest.getJsonObject("plan", new JsonObject()).getString("name", ""),
        upToDate,
        sources,
        splits,
        skipped,
        skippedSources,
        groups.getInteger("classes", 0),
        groups.getInteger("perClass", 0),
        seconds);
  }

  /** Prints the summary for a person. */
  public void print(PrintStream out) {
    out.printf(
        "%s corpus in %s: %s (%.1f s)%n",
        plan, root, upToDate ? "already up to date" : "built", seconds);
    sources.forEach(
        (name, c) ->
            out.printf(
                "  source %-36s %,7d images %,7d captions%n", name, c.images(), c.captions()));
    splits.forEach(
        (name, c) ->
            out.printf(
                "  split  %-36s %,7d images %,7d captions%n", name, c.images(), c.captions()));
    out.printf(
        "  zero-shot emoji groups: %d classes x %d held-out images%n",
        zeroShotClasses, zeroShotPerClass);
    skipped.forEach((reason, n) -> out.printf("  skipped %,7d %s%n", n, reason));
    skippedSources.forEach(s -> out.printf("  source skipped: %s%n", s));
  }
}
