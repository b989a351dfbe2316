package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFoldersTest {

  @TempDir Path root;

  private void touch(String... names) throws IOException {
    for (String name : names) {
      Path file = root.resolve(name);
      Files.createDirectories(file.getParent());
      Files.write(file, new byte[] {1});
    }
  }

  @Test
  @DisplayName("labels images by class folder, sorted, and counts the files that are not images")
  void readsTree() throws IOException {
    touch(
        "dog/x.JPEG",
        "dog/.DS_Store",
        "cat/b.jpg",
        "cat/a.PNG",
        "cat/notes.txt",
        "cat/sub/c.jpeg",
        "README.md");

    ImageFolders.Tree tree = ImageFolders.read(root);
    ClassificationSet set = tree.set();

    assertThat(set.classes()).containsExactly("cat", "dog");
    List<String> ids = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      ids.add(set.images().id(i));
      labels.add(set.label(i));
    }
    assertThat(ids).containsExactly("cat/a.PNG", "cat/b.jpg", "cat/sub/c.jpeg", "dog/x.JPEG");
    assertThat(labels).containsExactly(0, 0, 0, 1);
    assertThat(set.images().file(3)).contains(root.resolve("dog/x.JPEG"));
    assertThat(tree.skippedFiles()).isEqualTo(3);
    assertThat(set.isMultiLabel()).isFalse();
    assertThat(set.label(3, 1)).isEqualTo(ClassificationSet.PRESENT);
    assertThat(set.label(3, 0)).isEqualTo(ClassificationSet.ABSENT);
  }

  @Test
  @DisplayName("recognises image extensions in any case and nothing else")
  void recognisesExtensions() {
    for (String name : List.of("a.jpg", "a.jpeg", "a.png", "a.bmp", "a.gif", "a.JPEG", "a.Png")) {
      assertThat(ImageFolders.isImage(Path.of(name))).as(name).isTrue();
    }
    for (String name : List.of("a.txt", "jpg", "a.jpg.xml", "a.svg", "a.webp", ".png~")) {
      assertThat(ImageFolders.isImage(Path.of(name))).as(name).isFalse();
    }
  }

  @Test
  @DisplayName("follows a class folder that is a link into another copy of the images")
  void followsLinkedClassFolder() throws IOException {
    touch("elsewhere/cat/a.jpg", "tree/dog/b.jpg");
    Files.createSymbolicLink(root.resolve("tree/cat"), root.resolve("elsewhere/cat"));

    ClassificationSet set = ImageFolders.read(root.resolve("tree")).set();

    assertThat(set.classes()).containsExactly("cat", "dog");
    assertThat(set.images().id(0)).isEqualTo("cat/a.jpg");
  }

  @Test
  @DisplayName("names a class folder that holds no image")
  void rejectsEmptyClass() throws IOException {
    touch("cat/a.jpg", "bird/readme.txt");

    assertThatThrownBy(() -> ImageFolders.read(root))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(root.resolve("bird") + ": class folder holds no image");
  }

  @Test
  @DisplayName("names a missing root or one without class folders")
  void rejectsEmptyRoot() throws IOException {
    assertThatThrownBy(() -> ImageFolders.read(root.resolve("nope")))
        .hasMessageContaining(root.resolve("nope") + ": no such folder");

    touch("only-a-file.jpg");
    assertThatThrownBy(() -> ImageFolders.read(root))
        .hasMessageContaining(root + ": has no class folder");
  }

  @Test
  @DisplayName("reads split folders with the same classes in every split")
  void readsSplits() throws IOException {
    touch(
        "train/cat/1.jpg", "train/cat/2.jpg", "train/dog/3.jpg", "val/cat/4.jpg", "val/dog/5.png");

    Map<String, ImageFolders.Tree> splits = ImageFolders.readSplits(root, List.of("train", "val"));

    assertThat(splits).containsOnlyKeys("train", "val");
    assertThat(splits.get("train").set().size()).isEqualTo(3);
    assertThat(splits.get("val").set().images().id(1)).isEqualTo("dog/5.png");
    assertThat(splits.get("val").set().label(1)).isEqualTo(1);
  }

  @Test
  @DisplayName("names both splits when their classes differ")
  void rejectsMismatchedSplits() throws IOException {
    touch("train/cat/1.jpg", "train/dog/3.jpg", "val/cat/4.jpg");

    assertThatThrownBy(() -> ImageFolders.readSplits(root, List.of("train", "val")))
        .hasMessageContaining(root.resolve("val").toString())
        .hasMessageContaining(root.resolve("train").toString());
  }
}
