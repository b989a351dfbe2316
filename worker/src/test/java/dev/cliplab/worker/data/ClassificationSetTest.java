package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClassificationSetTest {

  private final ImageSource three =
      ImageFiles.of(Path.of("images"), List.of("a", "b", "c"), List.of("a.png", "b.png", "c.png"));

  @Test
  @DisplayName("answers a single-label set per class too: its own class present, others absent")
  void singleLabelAsMatrix() {
    ClassificationSet set =
        ClassificationSet.singleLabel("s", List.of("x", "y"), three, new int[] {1, 0, 1});

    assertThat(set.label(0)).isEqualTo(1);
    assertThat(set.label(0, 0)).isEqualTo(ClassificationSet.ABSENT);
    assertThat(set.label(0, 1)).isEqualTo(ClassificationSet.PRESENT);
    assertThat(set.label(1, 0)).isEqualTo(ClassificationSet.PRESENT);
  }

  @Test
  @DisplayName("stores a multi-label matrix image-major and refuses a single label for it")
  void multiLabel() {
    byte[] matrix = {1, -1, 0, 1, -1, -1};
    ClassificationSet set = ClassificationSet.multiLabel("m", List.of("x", "y"), three, matrix);
    matrix[0] = -1;

    assertThat(set.label(0, 0)).isEqualTo(1);
    assertThat(set.label(1, 0)).isEqualTo(0);
    assertThat(set.label(1, 1)).isEqualTo(1);
    assertThat(set.label(2, 1)).isEqualTo(-1);
    assertThatThrownBy(() -> set.label(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("rejects labels that do not fit the images or the classes, naming the image")
  void rejectsMismatches() {
    assertThatThrownBy(
            () -> ClassificationSet.singleLabel("s", List.of("x"), three, new int[] {0, 0}))
        .hasMessageContaining("2 labels for 3 images");
    assertThatThrownBy(
            () -> ClassificationSet.singleLabel("s", List.of("x", "y"), three, new int[] {0, 2, 1}))
        .hasMessageContaining("label 2 of image b");
    assertThatThrownBy(
            () ->
                ClassificationSet.multiLabel(
                    "m", List.of("x", "y"), three, new byte[] {1, 1, 1, 1, 2, 1}))
        .hasMessageContaining("value 2 of image c");
    assertThatThrownBy(
            () -> ClassificationSet.singleLabel("s", List.of("x", "x"), three, new int[3]))
        .hasMessageContaining("distinct");
  }
}
