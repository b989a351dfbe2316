package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps at most a few clip-art drawings per identical caption set, so that icon sets and shape
 * series whose drawings all carry the same captions do not fill contrastive batches with false
 * negatives.
 *
 * <p>Caption sets are compared normalised: each caption as its {@link Tokenizer#words words}, the
 * set without order or repeats. Of the drawings that share a set, those with the smallest rank of
 * their drawing path are kept, so the choice does not depend on the order of the archive. The cap
 * counts only drawings that were written, so a drawing that is missing or does not decode never
 * takes a kept place.
 */
final class CaptionSetCap {

  private static final String RANK_SALT = "caption-set";

  private CaptionSetCap() {}

  /** Returns the skip reason of the drawings beyond the cap. */
  static String reason(int cap) {
    return "clip art beyond " + cap + " per identical caption set";
  }

  /**
   * Drops the written clip art beyond the cap from a plan, counting it and deleting its files.
   *
   * @param planner the plan's chosen items
   * @param written the files the image passes wrote
   * @param cap the most drawings one caption set may keep
   * @return the number of drawings dropped
   * @throws IOException if a dropped file cannot be deleted
   */
  static int apply(CorpusPlanner planner, Set<Path> written, int cap) throws IOException {
    Map<Set<String>, List<Path>> bySet = new HashMap<>();
    planner
        .items()
        .forEach(
            (file, item) -> {
              if (item.style().equals(CorpusPlanner.CLIPART_STYLE) && written.contains(file)) {
                bySet.computeIfAbsent(key(item.captions()), k -> new ArrayList<>()).add(file);
              }
            });

    // Deciding after the image pass means that the dropped drawings were decoded for nothing (3,341
    // of 6,893 in the demo corpus); deciding before it would need the PNG package's regular files,
    // whose links differ from the SVG package's, and so a second read of the largest archive.
    List<Path> dropped = new ArrayList<>();
    for (List<Path> files : bySet.values()) {
      files.sort(Comparator.comparingLong((Path f) -> rank(planner, f)).thenComparing(f -> f));
      dropped.addAll(files.subList(Math.min(cap, files.size()), files.size()));
    }

    for (Path file : dropped) {
      planner.drop(file, reason(cap));
      Files.deleteIfExists(file);
    }
    return dropped.size();
  }

  /** Returns the normalised caption set that tells identical drawings apart from the rest. */
  static Set<String> key(List<String> captions) {
    Set<String> key = new TreeSet<>();
    for (String caption : captions) {
      String words = String.join(" ", Tokenizer.words(caption));
      if (!words.isEmpty()) {
        key.add(words);
      }
    }
    return key;
  }

  private static long rank(CorpusPlanner planner, Path file) {
    return Digests.rank(RANK_SALT, planner.items().get(file).sortKey());
  }
}
