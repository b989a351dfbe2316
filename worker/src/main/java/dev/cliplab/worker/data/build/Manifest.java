package dev.cliplab.worker.data.build;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts together a corpus manifest: the plan, every source with its checksum, licence and what it
 * contributed to each split and transfer set, the split counts, the transfer sets, and what was
 * left out, by reason.
 */
final class Manifest {

  /** The version of the manifest's own layout. */
  static final int FORMAT = 2;

  private static final List<String> SPLIT_ORDER =
      List.of("train", "val", "heldout", Transfers.VOC_EMOJI, Transfers.FASHION_MNIST);

  private Manifest() {}

  static JsonObject of(
      CorpusPlanner planner,
      Map<String, JsonObject> splits,
      Map<String, List<Placed>> groups,
      List<JsonObject> sources,
      Transfers transfers,
      List<String> skippedSources) {
    int perClass = groups.values().stream().mapToInt(List::size).findFirst().orElse(0);
    JsonObject skipped = new JsonObject();
    planner.skips().counts().forEach(skipped::put);
    JsonObject zeroShot =
        new JsonObject()
            .put("classes", groups.size())
            .put("perClass", perClass)
            .put("images", groups.size() * perClass);
    JsonObject splitCounts = new JsonObject();
    splits.forEach(splitCounts::put);
    JsonObject transfer = new JsonObject();
    transfers.written().forEach(transfer::put);
    JsonObject skippedTransfer = new JsonObject();
    transfers.skipped().forEach(skippedTransfer::put);
    return new JsonObject()
        .put("complete", true)
        .put("format", FORMAT)
        .put("plan", planner.plan().toJson())
        .put("sources", new JsonArray(new ArrayList<>(sources)))
        .put("skippedSources", new JsonArray(skippedSources))
        .put("splits", splitCounts)
        .put("transfer", transfer)
        .put("skippedTransfer", skippedTransfer)
        .put("emojiGroups", zeroShot)
        .put("skipped", skipped);
  }

  /**
   * Returns the entry of every fetched package of the plan. Image packages count, per split, the
   * images they gave and those images' captions; metadata packages count the captions of the images
   * they describe; packages behind a transfer set count its images.
   */
  static List<JsonObject> sourceEntries(
      BuildPlan plan, List<Placed> placed, Transfers transfers, SourceSet sources)
      throws IOException {
    Map<SourcePackage, JsonObject> contributed = new HashMap<>();
    for (Placed p : placed) {
      int captions = p.item().captions().size();
      add(contributed, p.item().imageSource(), p.split(), 1, captions);
      if (!p.item().captionSource().equals(p.item().imageSource())) {
        add(contributed, p.item().captionSource(), p.split(), 0, captions);
      }
    }
    JsonObject voc = transfers.written().get(Transfers.VOC_EMOJI);
    if (voc != null) {
      SourcePackage heldout = SourcePackage.emojiVendor(SourcePackage.HELDOUT_VENDOR);
      add(contributed, heldout, Transfers.VOC_EMOJI, Transfers.images(voc), 0);
      contributed.get(heldout).getJsonObject(Transfers.VOC_EMOJI).put("copyOf", "heldout");
    }
    JsonObject fashion = transfers.written().get(Transfers.FASHION_MNIST);
    if (fashion != null) {
      add(
          contributed,
          SourcePackage.FASHION_MNIST,
          Transfers.FASHION_MNIST,
          Transfers.images(fashion),
          0);
    }
    List<JsonObject> entries = new ArrayList<>();
    for (SourcePackage pkg : CorpusBuilder.packagesOf(plan)) {
      if (sources.get(pkg) != null) {
        entries.add(sources.entry(pkg, ordered(contributed.get(pkg))));
      }
    }
    return entries;
  }

  private static JsonObject ordered(JsonObject bySplit) {
    JsonObject ordered = new JsonObject();
    if (bySplit != null) {
      for (String split : SPLIT_ORDER) {
        if (bySplit.containsKey(split)) {
          ordered.put(split, bySplit.getJsonObject(split));
        }
      }
    }
    return ordered;
  }

  private static void add(
      Map<SourcePackage, JsonObject> contributed,
      SourcePackage pkg,
      String split,
      int images,
      int captions) {
    JsonObject bySplit = contributed.computeIfAbsent(pkg, k -> new JsonObject());
    JsonObject c = bySplit.getJsonObject(split);
    if (c == null) {
      c = CorpusWriter.counts(0, 0);
      bySplit.put(split, c);
    }
    c.put("images", c.getInteger("images") + images);
    c.put("captions", c.getInteger("captions") + captions);
  }
}
