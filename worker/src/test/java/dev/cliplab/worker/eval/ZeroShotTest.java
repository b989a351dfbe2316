package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ZeroShotTest {

  // Two templates, two classes, prompts template-major: t0c0, t0c1, t1c0, t1c1.
  private static final FeatureMatrix PROMPTS =
      FeatureMatrix.of(new float[][] {{1, 0}, {0, 1}, {0, 2}, {0, 1}});

  @Test
  @DisplayName("prompts put every class into every template, template by template")
  void prompts() {
    assertThat(ZeroShot.prompts(List.of("a {}.", "{}"), List.of("cat", "dog")))
        .containsExactly("a cat.", "a dog.", "cat", "dog");
    assertThatThrownBy(() -> ZeroShot.prompts(List.of("a picture"), List.of("cat")))
        .hasMessageContaining("'a picture' must hold {} exactly once");
  }

  @Test
  @DisplayName("the ensemble averages the templates' unit embeddings and normalises again")
  void ensemble() {
    // class 0: (1, 0) and (0, 2) -> unit (1, 0), (0, 1) -> mean (1/2, 1/2) -> (1/sqrt2, 1/sqrt2)
    // class 1: (0, 1) twice -> (0, 1)
    FeatureMatrix classes = ZeroShot.classEmbeddings(PROMPTS, 2);
    float r = (float) Math.sqrt(0.5);
    assertThat(classes.row(0)).containsExactly(new float[] {r, r}, within(1e-6f));
    assertThat(classes.row(1)).containsExactly(new float[] {0, 1}, within(1e-6f));
  }

  @Test
  @DisplayName("the ensemble can change the answer that one template gives")
  void ensembleChangesAnswers() {
    // image (0.6, 1), class 0. Template 0 alone: cos with (1, 0) is 0.6 / |x|, with (0, 1) is
    // 1 / |x| -> class 1. Ensemble: (0.6 + 1) / sqrt2 = 1.13 against 1 -> class 0.
    FeatureMatrix image = FeatureMatrix.of(new float[][] {{0.6f, 1}});
    FeatureMatrix firstTemplate = PROMPTS.select(new int[] {0, 1});
    int[] label = {0};
    assertThat(ZeroShot.top1(image, ZeroShot.classEmbeddings(firstTemplate, 1), label))
        .isEqualTo(0.0);
    assertThat(ZeroShot.top1(image, ZeroShot.classEmbeddings(PROMPTS, 2), label)).isEqualTo(1.0);
  }

  @Test
  @DisplayName("top-1 compares cosines, so an image's length does not matter")
  void cosinesNotDotProducts() {
    // (10, 0.5) is class 0 (cosines 0.74 and 0.05), (0.1, 1) class 1 (0.77 and 0.995)
    FeatureMatrix images = FeatureMatrix.of(new float[][] {{10, 0.5f}, {0.1f, 1}});
    FeatureMatrix classes = ZeroShot.classEmbeddings(PROMPTS, 2);
    assertThat(ZeroShot.top1(images, classes, new int[] {0, 1})).isEqualTo(1.0);
    assertThat(ZeroShot.top1(images, classes, new int[] {0, 0})).isEqualTo(0.5);
  }
}
