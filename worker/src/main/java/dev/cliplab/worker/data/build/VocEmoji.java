package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the VOC07-style multi-label set of the held-out emoji style: the most frequent emojibase
 * keyword tags of the held-out images are the classes, and the images are split into trainval and
 * test, about half each, so that every class has positives on both sides.
 *
 * <p>A tag is a class candidate when it is one lower-case word (letters, digits, inner hyphens), so
 * that it can name the class's files as VOC's class names do, and an image counts as a positive
 * only through tags other than its whole label (the planner leaves those out), so that no class
 * merely names one emoji. A class needs {@link #MIN_POSITIVES} positives, two on each side.
 */
final class VocEmoji {

  /** The fewest positives a class may have. */
  static final int MIN_POSITIVES = 4;

  private static final Pattern CLASS_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private VocEmoji() {}

  /**
   * Chooses the classes: the most frequent eligible tags, more frequent first, ties by name.
   *
   * @param heldout the held-out images
   * @param most how many classes at most
   * @return the classes in alphabetical order, as VOC lists its own
   */
  static List<String> classes(List<Placed> heldout, int most) {
    Map<String, Integer> counts = new HashMap<>();
    for (Placed p : heldout) {
      for (String tag : Set.copyOf(p.item().tags())) {
        if (CLASS_NAME.matcher(tag).matches()) {
          counts.merge(tag, 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= MIN_POSITIVES)
        .sorted(
            Map.Entry.<String, Integer>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(most)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /**
   * Splits the images: classes from the rarest up hand their unassigned positives, in a repeatable
   * random order, to the side that has fewer of that class's positives; the images left over even
   * out the two sides. It is iterative stratification for multi-label data, made deterministic. A
   * class whose positives all went to one side through other classes then gets one moved across,
   * one whose move takes no class's last positive from its side.
   *
   * @return true for each image that goes to trainval, by image id
   * @throws IOException if some class cannot have positives on both sides
   */
  static Map<Long, Boolean> split(List<Placed> heldout, List<String> classes) throws IOException {
    List<Placed> order = new ArrayList<>(heldout);
    order.sort(Comparator.comparingLong(p -> Digests.rank("voc-split", p.item().concept())));
    Map<String, Integer> frequency = new HashMap<>();
    classes.forEach(c -> frequency.put(c, positives(order, c).size()));
    List<String> rarestFirst = new ArrayList<>(classes);
    rarestFirst.sort(
        Comparator.comparing((String c) -> frequency.get(c))
            .thenComparing(Comparator.naturalOrder()));

    Map<Long, Boolean> trainval = new LinkedHashMap<>();
    for (String c : rarestFirst) {
      for (Placed p : positives(order, c)) {
        if (!trainval.containsKey(p.id())) {
          int[] sides = sides(positives(order, c), trainval);
          boolean even = sides[0] == sides[1];
          trainval.put(p.id(), sides[0] < sides[1] || even && !moreTrainval(trainval));
        }
      }
    }
    for (Placed p : order) {
      trainval.computeIfAbsent(p.id(), id -> !moreTrainval(trainval));
    }
    for (String c : rarestFirst) {
      repair(c, order, classes, trainval);
    }
    return trainval;
  }

  private static void repair(
      String c, List<Placed> order, List<String> classes, Map<Long, Boolean> trainval)
      throws IOException {
    List<Placed> positives = positives(order, c);
    int[] sides = sides(positives, trainval);
    if (sides[0] > 0 && sides[1] > 0) {
      return;
    }
    for (Placed p : positives) {
      boolean from = trainval.get(p.id());
      boolean movable =
          p.item().tags().stream()
              .filter(classes::contains)
              .allMatch(k -> sides(positives(order, k), trainval)[from ? 0 : 1] > 1);
      if (movable) {
        trainval.put(p.id(), !from);
        return;
      }
    }
    throw new IOException(
        "VOC class "
            + c
            + " cannot have positives on both sides: it has "
            + positives.size()
            + ", each the last of some class on its side");
  }

  private static List<Placed> positives(List<Placed> images, String c) {
    return images.stream().filter(p -> p.item().tags().contains(c)).toList();
  }

  // Positives of a class already in trainval and in test.
  private static int[] sides(List<Placed> positives, Map<Long, Boolean> trainval) {
    int[] sides = new int[2];
    for (Placed p : positives) {
      Boolean side = trainval.get(p.id());
      if (side != null) {
        sides[side ? 0 : 1]++;
      }
    }
    return sides;
  }

  private static boolean moreTrainval(Map<Long, Boolean> trainval) {
    long in = trainval.values().stream().filter(b -> b).count();
    return in > trainval.size() - in;
  }

  /**
   * Writes the set below a corpus root: {@code JPEGImages/<id>.png} (the held-out PNGs, copied
   * losslessly), {@code ImageSets/Main/{trainval,test}.txt}, {@code
   * ImageSets/Main/<class>_{trainval,test}.txt} with 1 for a positive and -1 for a negative, and
   * {@code classes.txt}.
   *
   * @param heldout the placed held-out images
   * @param images the folder they were written to
   * @param root the corpus folder
   * @return the set's manifest entry
   */
  static JsonObject write(List<Placed> heldout, Path images, Path root) throws IOException {
    List<String> classes = classes(heldout, BuildPlan.VOC_CLASSES);
    Map<Long, Boolean> trainval = split(heldout, classes);
    Path dir = new DemoCorpus(root).vocEmoji();
    List<Placed> sorted = new ArrayList<>(heldout);
    sorted.sort(Comparator.comparingLong(Placed::id));
    Path jpeg = Files.createDirectories(dir.resolve("JPEGImages"));
    for (Placed p : sorted) {
      Files.copy(
          images.resolve(p.item().fileName()),
          jpeg.resolve(id(p) + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }

    Map<String, List<Placed>> bySplit = new LinkedHashMap<>();
    bySplit.put("trainval", sorted.stream().filter(p -> trainval.get(p.id())).toList());
    bySplit.put("test", sorted.stream().filter(p -> !trainval.get(p.id())).toList());
    JsonObject positives = writeLists(dir.resolve("ImageSets/Main"), bySplit, classes);
    write(dir.resolve("classes.txt"), classes.stream());
    return new JsonObject()
        .put("path", root.relativize(dir).toString())
        .put("format", "VOC ImageSets/Main, images as PNG")
        .put("classes", new JsonArray(new ArrayList<>(classes)))
        .put(
            "images",
            new JsonObject()
                .put("trainval", bySplit.get("trainval").size())
                .put("test", bySplit.get("test").size()))
        .put("positives", positives);
  }

  // Writes each split's id list and per-class label lists; returns the positives per class.
  private static JsonObject writeLists(
      Path main, Map<String, List<Placed>> bySplit, List<String> classes) throws IOException {
    Files.createDirectories(main);
    JsonObject positives = new JsonObject();
    classes.forEach(c -> positives.put(c, new JsonObject()));
    for (Map.Entry<String, List<Placed>> split : bySplit.entrySet()) {
      List<Placed> members = split.getValue();
      write(main.resolve(split.getKey() + ".txt"), members.stream().map(VocEmoji::id));
      for (String c : classes) {
        write(
            main.resolve(c + "_" + split.getKey() + ".txt"),
            members.stream().map(p -> id(p) + " " + (p.item().tags().contains(c) ? "1" : "-1")));
        long n = members.stream().filter(p -> p.item().tags().contains(c)).count();
        positives.getJsonObject(c).put(split.getKey(), n);
      }
    }
    return positives;
  }

  /** Returns an image's VOC id: its corpus id, six digits wide. */
  static String id(Placed p) {
    return String.format("%06d", p.id());
  }

  private static void write(Path file, Stream<String> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    lines.forEach(l -> text.append(l).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
