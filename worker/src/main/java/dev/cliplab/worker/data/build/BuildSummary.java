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
 * What a corpus build produced, or found already built: counts per source and split, the transfer
 * sets, and the images, sources and sets it left out.
 *
 * @param root the corpus folder
 * @param plan the plan's name
 * @param upToDate whether the corpus was already complete and built from the same sources
 * @param sources per source package ({@code name@version}), images and captions per split or
 *     transfer set it contributed to
 * @param splits images and captions per split ({@code train}, {@code val}, {@code heldout})
 * @param transfer per transfer set, its class count and a description of its images per split
 * @param skippedTransfer transfer sets left out, with why
 * @param skipped images left out, by reason
 * @param skippedSources sources that were not fetched, with why
 * @param zeroShotClasses the number of classes of the emoji-group task
 * @param zeroShotPerClass the held-out images labelled in each class
 * @param seconds how long the build took
 */
public record BuildSummary(
    Path root,
    String plan,
    boolean upToDate,
    Map<String, Map<String, Counts>> sources,
    Map<String, Counts> splits,
    Map<String, String> transfer,
    Map<String, String> skippedTransfer,
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
    Map<String, Map<String, Counts>> sources = new LinkedHashMap<>();
    for (Object o : manifest.getJsonArray("sources", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      sources.put(
          s.getString("package") + "@" + s.getString("version"),
          counts(s.getJsonObject("contributed", new JsonObject())));
    }
    Map<String, String> transfer = new LinkedHashMap<>();
    manifest
        .getJsonObject("transfer", new JsonObject())
        .forEach(
            e -> {
              JsonObject set = (JsonObject) e.getValue();
              int classes = set.getJsonArray("classes", new JsonArray()).size();
              transfer.put(
                  e.getKey(),
                  "%d classes, %s in %s"
                      .formatted(classes, Transfers.describe(set), set.getString("path")));
            });
    Map<String, String> skippedTransfer = new LinkedHashMap<>();
    manifest
        .getJsonObject("skippedTransfer", new JsonObject())
        .forEach(e -> skippedTransfer.put(e.getKey(), String.valueOf(e.getValue())));
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
        counts(manifest.getJsonObject("splits", new JsonObject())),
        transfer,
        skippedTransfer,
        skipped,
        skippedSources,
        groups.getInteger("classes", 0),
        groups.getInteger("perClass", 0),
        seconds);
  }

  private static Map<String, Counts> counts(JsonObject bySplit) {
    Map<String, Counts> counts = new LinkedHashMap<>();
    bySplit.forEach(e -> counts.put(e.getKey(), Counts.of((JsonObject) e.getValue())));
    return counts;
  }

  /** Prints the summary for a person. */
  public void print(PrintStream out) {
    out.printf(
        "%s corpus in %s: %s (%.1f s)%n",
        plan, root, upToDate ? "already up to date" : "built", seconds);
    out.printf("  %-48s %-14s %8s %9s%n", "source", "split", "images", "captions");
    sources.forEach(
        (name, bySplit) -> {
          String label = name;
          for (Map.Entry<String, Counts> e : bySplit.entrySet()) {
            row(out, label, e.getKey(), e.getValue());
            label = "";
          }
          if (bySplit.isEmpty()) {
            row(out, label, "-", new Counts(0, 0));
          }
        });
    splits.forEach((name, c) -> row(out, "all sources", name, c));
    transfer.forEach((name, what) -> out.printf("  transfer set %s: %s%n", name, what));
    skippedTransfer.forEach(
        (name, why) -> out.printf("  transfer set %s left out: %s%n", name, why));
    out.printf(
        "  zero-shot emoji groups: %d classes x %d held-out images%n",
        zeroShotClasses, zeroShotPerClass);
    skipped.forEach((reason, n) -> out.printf("  skipped %,7d %s%n", n, reason));
    skippedSources.forEach(s -> out.printf("  source skipped: %s%n", s));
  }

  private static void row(PrintStream out, String source, String split, Counts c) {
    out.printf("  %-48s %-14s %,8d %,9d%n", source, split, c.images(), c.captions());
  }
}
