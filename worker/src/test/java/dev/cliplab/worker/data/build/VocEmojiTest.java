package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocEmojiTest {

  @TempDir Path dir;

  private static Placed image(long id, String... tags) {
    CorpusItem item =
        new CorpusItem(
            "twitter",
            "emoji:" + id,
            3,
            String.format("%06d", id),
            "emoji-twitter-" + id + ".png",
            List.of("caption " + id),
            "objects",
            List.of(tags),
            true,
            SourcePackage.emojiVendor("twitter"),
            SourcePackage.EMOJIBASE);
    return new Placed(item, id, "heldout", 8, 8);
  }

  @Test
  @DisplayName("takes the most frequent one-word tags with four positives, ties by name")
  void choosesClasses() {
    List<Placed> images = new ArrayList<>();
    long id = 1;
    for (int i = 0; i < 5; i++) {
      images.add(image(id++, "face", "two words", "Face"));
    }
    for (int i = 0; i < 4; i++) {
      images.add(image(id++, "flag"));
      images.add(image(id++, "animal", "two words"));
    }
    for (int i = 0; i < 3; i++) {
      images.add(image(id++, "rare", "rare"));
    }

    assertThat(VocEmoji.classes(images, 2)).containsExactly("animal", "face");
    assertThat(VocEmoji.classes(images, 20)).containsExactly("animal", "face", "flag");
  }

  /** Forty images: "a" on even ids, "b" on multiples of 3, "c" of 5, "d" on four odd ids. */
  private static List<Placed> forty() {
    List<Placed> images = new ArrayList<>();
    Set<Integer> d = Set.of(1, 7, 13, 29);
    for (int i = 1; i <= 40; i++) {
      List<String> tags = new ArrayList<>();
      if (i % 2 == 0) {
        tags.add("a");
      }
      if (i % 3 == 0) {
        tags.add("b");
      }
      if (i % 5 == 0) {
        tags.add("c");
      }
      if (d.contains(i)) {
        tags.add("d");
      }
      images.add(image(i, tags.toArray(String[]::new)));
    }
    return images;
  }

  @Test
  @DisplayName("splits about half and half with every class on both sides, whatever the order")
  void splitsStratified() throws IOException {
    List<Placed> images = forty();
    List<String> classes = List.of("a", "b", "c", "d");

    Map<Long, Boolean> trainval = VocEmoji.split(images, classes);

    assertThat(trainval).hasSize(40);
    assertThat(trainval.values().stream().filter(b -> b).count()).isBetween(18L, 22L);
    for (String c : classes) {
      List<Boolean> sides =
          images.stream()
              .filter(p -> p.item().tags().contains(c))
              .map(p -> trainval.get(p.id()))
              .toList();
      assertThat(sides).as(c).contains(true, false);
    }
    // The rarest class is dealt out first, alternately: two positives on each side.
    assertThat(List.of(1L, 7L, 13L, 29L).stream().filter(trainval::get).count()).isEqualTo(2);

    List<Placed> shuffled = new ArrayList<>(images);
    Collections.shuffle(shuffled, new Random(7));
    assertThat(VocEmoji.split(shuffled, classes)).isEqualTo(trainval);
  }

  @Test
  @DisplayName("puts every class on both sides for many random tag sets")
  void splitsRandomTagSets() throws IOException {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      List<Placed> images = new ArrayList<>();
      for (int i = 1; i <= 24; i++) {
        List<String> tags = new ArrayList<>();
        for (String c : List.of("p", "q", "r", "s", "t")) {
          if (random.nextDouble() < 0.25) {
            tags.add(c);
          }
        }
        images.add(image(1000L * trial + i, tags.toArray(String[]::new)));
      }
      List<String> classes = VocEmoji.classes(images, 20);

      Map<Long, Boolean> trainval = VocEmoji.split(images, classes);

      for (String c : classes) {
        assertThat(
                images.stream()
                    .filter(p -> p.item().tags().contains(c))
                    .map(p -> trainval.get(p.id()))
                    .distinct())
            .as("class %s of trial %d", c, trial)
            .hasSize(2);
      }
    }
  }

  @Test
  @DisplayName("writes VOC's ImageSets/Main layout with 1 for positives and -1 for negatives")
  void writesVocLayout() throws IOException {
    Path images = Files.createDirectories(dir.resolve("heldout/images"));
    List<Placed> placed = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      List<String> tags = new ArrayList<>(List.of(i <= 4 ? "x" : "y"));
      if (i % 2 == 1) {
        tags.add("z");
      }
      Placed p = image(i, tags.toArray(String[]::new));
      Files.write(images.resolve(p.item().fileName()), TestPackages.png(4, 4, 0xff000000 + i));
      placed.add(p);
    }

    JsonObject entry = VocEmoji.write(placed, images, dir);

    Path voc = new DemoCorpus(dir).vocEmoji();
    assertThat(Files.readAllLines(voc.resolve("classes.txt"))).containsExactly("x", "y", "z");
    assertThat(Files.readAllBytes(voc.resolve("JPEGImages/000003.png")))
        .isEqualTo(Files.readAllBytes(images.resolve("emoji-twitter-3.png")));
    List<String> trainval = Files.readAllLines(voc.resolve("ImageSets/Main/trainval.txt"));
    List<String> test = Files.readAllLines(voc.resolve("ImageSets/Main/test.txt"));
    Set<String> all = new HashSet<>(trainval);
    all.addAll(test);
    assertThat(all)
        .hasSize(8)
        .containsExactlyInAnyOrder(
            "000001", "000002", "000003", "000004", "000005", "000006", "000007", "000008");
    for (String split : List.of("trainval", "test")) {
      List<String> ids = split.equals("trainval") ? trainval : test;
      List<String> zLines = Files.readAllLines(voc.resolve("ImageSets/Main/z_" + split + ".txt"));
      List<String> expected =
          ids.stream().map(id -> id + (Integer.parseInt(id) % 2 == 1 ? " 1" : " -1")).toList();
      assertThat(zLines).containsExactlyElementsOf(expected);
      assertThat(zLines.stream().filter(l -> l.endsWith(" 1")).count())
          .isPositive()
          .isEqualTo(entry.getJsonObject("positives").getJsonObject("z").getLong(split));
      assertThat(entry.getJsonObject("images").getInteger(split)).isEqualTo(ids.size());
    }
  }
}
