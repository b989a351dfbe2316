package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocImageSetsTest {

  @TempDir Path root;
  private Path main;

  // Three trainval images: 000005 and 000007 as JPEG, 000009 only as PNG. The class files use
  // VOC's own spacing (two spaces before a 1) and one uses Windows line ends.
  @BeforeEach
  void writeVoc() throws IOException {
    main = Files.createDirectories(root.resolve("ImageSets/Main"));
    Path images = Files.createDirectories(root.resolve("JPEGImages"));
    for (String name : List.of("000005.jpg", "000007.jpg", "000009.png", "000012.png")) {
      Files.write(images.resolve(name), new byte[] {1});
    }
    write("trainval.txt", "000005\n000007\n\n000009\n");
    write("dog_trainval.txt", "000005 -1\n000007  1\n000009  0\n");
    write("cat_trainval.txt", "000009  1\r\n000005  1\r\n000007 -1\r\n");
    write("test.txt", "000012\n");
    write("dog_test.txt", "000012  1\n");
    write("cat_test.txt", "000012 -1\n");
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(main.resolve(name), text);
  }

  @Test
  @DisplayName("reads ids, image files, classes sorted from the file names, and the label matrix")
  void readsSplit() throws IOException {
    ClassificationSet set = VocImageSets.read(root, "trainval");

    assertThat(set.classes()).containsExactly("cat", "dog");
    assertThat(set.isMultiLabel()).isTrue();
    assertThat(set.size()).isEqualTo(3);
    assertThat(List.of(set.images().id(0), set.images().id(1), set.images().id(2)))
        .containsExactly("000005", "000007", "000009");
    assertThat(set.images().file(0)).contains(root.resolve("JPEGImages/000005.jpg"));
    assertThat(set.images().file(2)).contains(root.resolve("JPEGImages/000009.png"));
    // rows: images in list order; columns: cat, dog
    int[][] expected = {{1, -1}, {-1, 1}, {1, 0}};
    for (int i = 0; i < 3; i++) {
      for (int c = 0; c < 2; c++) {
        assertThat(set.label(i, c)).as("image %d class %d", i, c).isEqualTo(expected[i][c]);
      }
    }
    assertThat(set.name()).isEqualTo(root.getFileName() + "/trainval");
  }

  @Test
  @DisplayName("reads another split with the same classes")
  void readsTestSplit() throws IOException {
    ClassificationSet test = VocImageSets.read(root, "test");

    assertThat(test.size()).isEqualTo(1);
    assertThat(test.label(0, 0)).isEqualTo(ClassificationSet.ABSENT);
    assertThat(test.label(0, 1)).isEqualTo(ClassificationSet.PRESENT);
  }

  @Test
  @DisplayName("takes the classes and their order from classes.txt when there is one")
  void readsClassesFile() throws IOException {
    Files.writeString(root.resolve("classes.txt"), "dog\ncat\n\n");

    ClassificationSet set = VocImageSets.read(root, "trainval");

    assertThat(set.classes()).containsExactly("dog", "cat");
    assertThat(set.label(2, 0)).isEqualTo(ClassificationSet.DIFFICULT);
    assertThat(set.label(2, 1)).isEqualTo(ClassificationSet.PRESENT);
  }

  @Test
  @DisplayName("names file and line of a label other than 1, -1 or 0")
  void rejectsBadLabel() throws IOException {
    write("dog_trainval.txt", "000005 -1\n000007 2\n000009 0\n");

    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(main.resolve("dog_trainval.txt") + ":2:")
        .hasMessageContaining("label '2'");
  }

  @Test
  @DisplayName("names file and line of an id that is not in the split's list")
  void rejectsUnlistedId() throws IOException {
    write("dog_trainval.txt", "000005 -1\n000007 1\n000009 0\n000011 1\n");

    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("dog_trainval.txt") + ":4:")
        .hasMessageContaining("image 000011 is not listed in " + main.resolve("trainval.txt"));
  }

  @Test
  @DisplayName(
      "names the class file, the id and its line in the list when a class file leaves it out")
  void rejectsMissingId() throws IOException {
    write("cat_trainval.txt", "000005 1\n000009 1\n");

    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("cat_trainval.txt").toString())
        .hasMessageContaining("no line for image 000007 of " + main.resolve("trainval.txt") + ":2");
  }

  @Test
  @DisplayName("names an id listed twice, in a class file or in the split's list")
  void rejectsRepeatedIds() throws IOException {
    write("cat_trainval.txt", "000005 1\n000007 -1\n000009 1\n000005 -1\n");
    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("cat_trainval.txt") + ":4: image 000005 repeats line 1");

    write("trainval.txt", "000005\n000007\n000005\n");
    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("trainval.txt") + ":3: image 000005 repeats line 1");
  }

  @Test
  @DisplayName("names the id, its line and both file names tried when its image is missing")
  void rejectsMissingImage() throws IOException {
    Files.delete(root.resolve("JPEGImages/000007.jpg"));

    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("trainval.txt") + ":2: image 000007")
        .hasMessageContaining("000007.jpg")
        .hasMessageContaining("000007.png");
  }

  @Test
  @DisplayName("names file and line of bytes that are not UTF-8")
  void rejectsInvalidUtf8() throws IOException {
    Files.write(
        main.resolve("dog_trainval.txt"),
        "000005 -1\n000007 1\n000009 0 caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    // 10 bytes on line 1, 9 on line 2, then "000009 0 caf": the Latin-1 é is byte 10 + 9 + 12.
    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("dog_trainval.txt") + ":3:")
        .hasMessageContaining("invalid UTF-8 at byte offset 31");
  }

  @Test
  @DisplayName("names a missing class file, split list or class list")
  void rejectsMissingFiles() throws IOException {
    Files.writeString(root.resolve("classes.txt"), "cat\ndog\nbird\n");
    assertThatThrownBy(() -> VocImageSets.read(root, "trainval"))
        .hasMessageContaining(main.resolve("bird_trainval.txt") + ": no such file");

    assertThatThrownBy(() -> VocImageSets.read(root, "val"))
        .hasMessageContaining(main.resolve("val.txt") + ": no such file");

    Path empty = Files.createDirectories(root.resolve("empty/ImageSets/Main"));
    assertThatThrownBy(() -> VocImageSets.classes(empty.getParent().getParent()))
        .hasMessageContaining("neither classes.txt");
  }
}
