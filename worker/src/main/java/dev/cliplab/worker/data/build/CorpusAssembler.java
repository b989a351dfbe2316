package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.build.ImagePass.Written;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns the written images of a plan into the corpus's splits: repeatable ids, a validation share
 * split by concept, and zero-shot labels balanced over the emoji groups.
 */
final class CorpusAssembler {

  private CorpusAssembler() {}

  /**
   * Places the items that were written, in a repeatable order, counting the others.
   *
   * @param planner the plan's chosen items
   * @param written the files the image passes wrote
   * @return the placed images: train and val in corpus order, then held-out
   */
  static List<Placed> place(CorpusPlanner planner, CorpusImages.Images images) {
    Map<Path, Written> written = images.written();
    List<Map.Entry<Path, CorpusItem>> chosen = new ArrayList<>(planner.items().entrySet());
    chosen.sort(
        Comparator.comparing((Map.Entry<Path, CorpusItem> e) -> e.getValue().heldout())
            .thenComparingInt(e -> e.getValue().styleRank())
            .thenComparing(e -> e.getValue().sortKey()));
    Set<String> val = valConcepts(planner, chosen, written);
    List<Placed> placed = new ArrayList<>();
    long id = 1;
    for (Map.Entry<Path, CorpusItem> e : chosen) {
      Written w = written.get(e.getKey());
      if (w == null) {
        planner.skips().add(images.whyMissing(e.getKey()));
        continue;
      }
      CorpusItem item = e.getValue();
      String split = item.heldout() ? "heldout" : val.contains(item.concept()) ? "val" : "train";
      placed.add(new Placed(item, id++, split, w.width(), w.height()));
    }
    return placed;
  }

  // Whole concepts go to validation, all their styles together, so that validation never sees a
  // restyled copy of a training image; concepts are drawn in a repeatable random order until the
  // share is reached.
  private static Set<String> valConcepts(
      CorpusPlanner planner, List<Map.Entry<Path, CorpusItem>> chosen, Map<Path, Written> written) {
    Map<String, Integer> imagesByConcept = new HashMap<>();
    int pretrain = 0;
    for (Map.Entry<Path, CorpusItem> e : chosen) {
      if (!e.getValue().heldout() && written.containsKey(e.getKey())) {
        imagesByConcept.merge(e.getValue().concept(), 1, Integer::sum);
        pretrain++;
      }
    }
    long target = Math.round(planner.plan().valFraction() * pretrain);
    List<String> concepts = new ArrayList<>(imagesByConcept.keySet());
    concepts.sort(Comparator.comparingLong(c -> Digests.rank("val", c)));
    Set<String> val = new HashSet<>();
    int count = 0;
    for (String c : concepts) {
      if (count >= target) {
        break;
      }
      val.add(c);
      count += imagesByConcept.get(c);
    }
    return val;
  }

  /**
   * Chooses the held-out images that the emoji-group task labels: the same number from every group,
   * the size of the smallest group, so that a model that has learned nothing scores chance.
   *
   * @param placed the placed images
   * @param classes the groups in emojibase's order
   * @return the labelled images by class, in class order, for the groups the held-out split has
   */
  static Map<String, List<Placed>> balancedGroups(List<Placed> placed, List<String> classes) {
    Map<String, List<Placed>> byGroup = new TreeMap<>();
    for (Placed p : placed) {
      if (p.split().equals("heldout") && p.item().group() != null) {
        byGroup.computeIfAbsent(p.item().group(), g -> new ArrayList<>()).add(p);
      }
    }
    int perClass = byGroup.values().stream().mapToInt(List::size).min().orElse(0);
    Map<String, List<Placed>> chosen = new LinkedHashMap<>();
    for (String c : classes) {
      if (!byGroup.containsKey(c)) {
        continue;
      }
      List<Placed> members = new ArrayList<>(byGroup.get(c));
      members.sort(Comparator.comparingLong(p -> Digests.rank("emoji-groups", p.item().concept())));
      List<Placed> kept = new ArrayList<>(members.subList(0, Math.min(perClass, members.size())));
      kept.sort(Comparator.comparingLong(Placed::id));
      chosen.put(c, kept);
    }
    return chosen;
  }

  /**
   * Caps the clip art per identical caption set, places a plan's written images and writes its
   * annotations, zero-shot labels, transfer sets, licence notes and, last, its manifest.
   *
   * @return the manifest
   */
  static JsonObject write(
      CorpusPlanner planner,
      CorpusImages.Images images,
      List<Emoji> emoji,
      SourceSet sources,
      PrintStream progress)
      throws IOException {
    String name = planner.plan().name();
    CaptionSetCap.apply(planner, images.written().keySet(), BuildPlan.CLIPART_PER_CAPTION_SET);
    List<Placed> placed = place(planner, images);
    Map<String, List<Placed>> groups = balancedGroups(placed, CorpusPlanner.groupOrder(emoji));
    CorpusWriter writer = new CorpusWriter(planner.root());
    writer.writeAnnotations(placed);
    writer.writeGroups(groups);
    Map<String, JsonObject> splits = CorpusWriter.splitCounts(placed);
    progress.printf(
        "  %s: wrote annotations of %s%n",
        name,
        String.join(
            ", ",
            splits.entrySet().stream()
                .map(e -> "%,d %s images".formatted(e.getValue().getInteger("images"), e.getKey()))
                .toList()));

    Transfers transfers = Transfers.write(planner, placed, sources, progress);
    List<JsonObject> entries = Manifest.sourceEntries(planner.plan(), placed, transfers, sources);
    if (planner.plan().licenses()) {
      writer.writeLicenses(entries);
    }
    JsonObject manifest =
        Manifest.of(planner, splits, groups, entries, transfers, sources.skipped());
    writer.writeManifest(manifest);
    progress.printf("  %s: wrote the manifest%n", name);
    return manifest;
  }
}
