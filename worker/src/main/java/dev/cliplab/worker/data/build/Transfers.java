package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transfer sets a corpus carries beside its splits, each in its standard on-disk format, and
 * the ones it had to leave out, with why.
 *
 * @param written each written set's manifest entry, by name
 * @param skipped each left-out set's reason, by name
 */
record Transfers(Map<String, JsonObject> written, Map<String, String> skipped) {

  /** The VOC07-style multi-label set of the held-out emoji style. */
  static final String VOC_EMOJI = "voc-emoji";

  /** The Fashion-MNIST IDX files and class names. */
  static final String FASHION_MNIST = "fashion-mnist";

  /** Writes every transfer set its sources allow below the planner's corpus root. */
  static Transfers write(
      CorpusPlanner planner, List<Placed> placed, SourceSet sources, PrintStream progress)
      throws IOException {
    Map<String, JsonObject> written = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    DemoCorpus corpus = new DemoCorpus(planner.root());
    List<Placed> heldout = placed.stream().filter(p -> p.split().equals("heldout")).toList();
    if (VocEmoji.classes(heldout, BuildPlan.VOC_CLASSES).isEmpty()) {
      skipped.put(
          VOC_EMOJI,
          "no keyword tag has " + VocEmoji.MIN_POSITIVES + " positives among the held-out images");
    } else {
      written.put(VOC_EMOJI, VocEmoji.write(heldout, corpus.heldoutImages(), planner.root()));
    }

    FetchedSource fashion = sources.get(SourcePackage.FASHION_MNIST);
    if (fashion == null) {
      skipped.put(
          FASHION_MNIST,
          SourcePackage.FASHION_MNIST.name()
              + " was not fetched: "
              + sources.whySkipped(SourcePackage.FASHION_MNIST));
    } else {
      written.put(FASHION_MNIST, FashionMnist.write(fashion, planner.root(), planner.plan()));
    }

    Transfers transfers = new Transfers(written, skipped);
    transfers.report(planner.plan().name(), progress);
    return transfers;
  }

  /** Returns how many images a written set holds, over all its splits. */
  static int images(JsonObject set) {
    JsonObject images = set.getJsonObject("images", new JsonObject());
    return images.fieldNames().stream().mapToInt(images::getInteger).sum();
  }

  private void report(String plan, PrintStream progress) {
    written.forEach(
        (name, set) ->
            progress.printf(
                "  %s: wrote transfer set %s: %d classes, %s%n",
                plan, name, set.getJsonArray("classes").size(), describe(set)));
    skipped.forEach(
        (name, why) -> progress.printf("  %s: left out transfer set %s: %s%n", plan, name, why));
  }

  /** Describes a set's images per split, {@code "60,000 train and 10,000 test images"}. */
  static String describe(JsonObject set) {
    JsonObject images = set.getJsonObject("images", new JsonObject());
    List<String> parts =
        images.fieldNames().stream()
            .map(split -> "%,d %s".formatted(images.getInteger(split), split))
            .toList();
    return String.join(" and ", parts) + " images";
  }
}
