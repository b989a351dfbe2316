package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final int[] KS = {1, 2, 3};

  // Three images, four captions: image 0 has captions 0 and 1, image 1 has caption 2, image 2 has
  // caption 3.
  private static final int[] OWNER = {0, 0, 1, 2};

  // rows: images, columns: captions
  private static final float[][] SIMILARITY = {
    {0.1f, 0.9f, 0.5f, 0.2f},
    {0.3f, 0.1f, 0.2f, 0.4f},
    {0.7f, 0.0f, 0.8f, 0.6f},
  };

  @Test
  @DisplayName("image to text ranks an image by its best own caption")
  void imageToTextUsesBestCaption() {
    // image 0: best own caption is 1 (0.9); no foreign caption scores >= 0.9 -> rank 1
    // image 1: own caption 2 (0.2); foreign 0.3 (c0) and 0.4 (c3) are higher -> rank 3
    // image 2: own caption 3 (0.6); foreign 0.7 (c0) and 0.8 (c2) are higher -> rank 3
    // R@1 = 1/3, R@2 = 1/3, R@3 = 3/3
    double[] recall = RankingMetrics.imageToTextRecall(SIMILARITY, OWNER, KS);
    assertThat(recall[0]).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(recall[1]).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(recall[2]).isCloseTo(1.0, within(1e-12));
  }

  @Test
  @DisplayName("text to image ranks every caption's own image among all images")
  void textToImage() {
    // caption 0 (image 0, 0.1): images 1 (0.3) and 2 (0.7) higher -> rank 3
    // caption 1 (image 0, 0.9): nothing higher -> rank 1
    // caption 2 (image 1, 0.2): images 0 (0.5) and 2 (0.8) higher -> rank 3
    // caption 3 (image 2, 0.6): nothing higher -> rank 1
    // R@1 = 2/4, R@2 = 2/4, R@3 = 4/4
    double[] recall = RankingMetrics.textToImageRecall(SIMILARITY, OWNER, KS);
    assertThat(recall).containsExactly(new double[] {0.5, 0.5, 1.0}, within(1e-12));
  }

  @Test
  @DisplayName("a tie with a wrong candidate counts against the model in both directions")
  void tiesCountAgainst() {
    float[][] tied = {
      {0.5f, 0.5f},
      {0.5f, 0.5f},
    };
    int[] owner = {0, 1};
    // every own score is tied with one foreign score -> rank 2 for every query
    assertThat(RankingMetrics.imageToTextRecall(tied, owner, new int[] {1, 2}))
        .containsExactly(0.0, 1.0);
    assertThat(RankingMetrics.textToImageRecall(tied, owner, new int[] {1, 2}))
        .containsExactly(0.0, 1.0);
  }

  @Test
  @DisplayName("an image's own captions never push each other down")
  void ownCaptionsDoNotCompete() {
    // image 0 owns both captions; image 1 owns none and is only a distractor for text -> image
    float[][] similarity = {
      {0.9f, 0.8f},
      {0.1f, 0.85f},
    };
    int[] owner = {0, 0};
    // i2t: only image 0 is a query; its best own caption (0.9) has no foreign caption -> R@1 = 1
    assertThat(RankingMetrics.imageToTextRecall(similarity, owner, new int[] {1}))
        .containsExactly(1.0);
    // t2i: caption 0 -> image 0 rank 1; caption 1 -> image 1 (0.85) beats image 0 (0.8) -> rank 2
    assertThat(RankingMetrics.textToImageRecall(similarity, owner, new int[] {1}))
        .containsExactly(0.5);
  }

  @Test
  @DisplayName("retrieval names its six metrics in a fixed order")
  void retrievalNames() {
    Map<String, Double> metrics = RankingMetrics.retrieval(SIMILARITY, OWNER);
    assertThat(metrics.keySet())
        .containsExactly("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10");
    // with only 4 captions and 3 images every rank is within 5
    assertThat(metrics.get("i2t_r1")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(metrics.get("i2t_r5")).isEqualTo(1.0);
    assertThat(metrics.get("t2i_r1")).isEqualTo(0.5);
    assertThat(metrics.get("t2i_r10")).isEqualTo(1.0);
  }

  @Test
  @DisplayName("top-1 needs the labelled class strictly ahead of every other class")
  void topOne() {
    float[][] similarity = {
      {0.9f, 0.1f, 0.0f}, // label 0, clear win
      {0.4f, 0.4f, 0.1f}, // label 1, tied with class 0 -> wrong
      {0.2f, 0.3f, 0.1f}, // label 2, loses -> wrong
      {0.0f, 0.0f, 0.5f}, // label 2, clear win
    };
    assertThat(RankingMetrics.top1(similarity, new int[] {0, 1, 2, 2})).isEqualTo(0.5);
  }

  @Test
  @DisplayName("NaN scores rank last, so a broken model scores zero rather than perfectly")
  void nanRanksLast() {
    float nan = Float.NaN;
    float[][] similarity = {{nan, nan}, {nan, nan}};
    int[] owner = {0, 1};
    assertThat(RankingMetrics.imageToTextRecall(similarity, owner, new int[] {1}))
        .containsExactly(0.0);
    assertThat(RankingMetrics.textToImageRecall(similarity, owner, new int[] {1}))
        .containsExactly(0.0);
    assertThat(RankingMetrics.top1(similarity, new int[] {0, 1})).isEqualTo(0.0);
  }

  @Test
  @DisplayName("top-k counts a row when fewer than k other classes score at least as high")
  void topK() {
    float[][] scores = {
      {0.1f, 0.5f, 0.9f, 0.3f}, // label 1: 0.9 ahead -> rank 2
      {0.4f, 0.4f, 0.4f, 0.0f}, // label 0: tied with 1 and 2 -> rank 3
      {0.0f, 0.1f, 0.2f, 0.3f}, // label 3: rank 1
      {0.9f, 0.8f, 0.7f, 0.6f}, // label 3: rank 4
    };
    int[] labels = {1, 0, 3, 3};
    assertThat(RankingMetrics.topK(scores, labels, 1)).isEqualTo(0.25);
    assertThat(RankingMetrics.topK(scores, labels, 2)).isEqualTo(0.5);
    assertThat(RankingMetrics.topK(scores, labels, 3)).isEqualTo(0.75);
    assertThat(RankingMetrics.topK(scores, labels, 4)).isEqualTo(1.0);
    assertThat(RankingMetrics.topK(scores, labels, 1))
        .isEqualTo(RankingMetrics.top1(scores, labels));
  }

  @Test
  @DisplayName("mean recall is the sum of the six recalls over six")
  void meanRecall() {
    // from retrievalNames: i2t 1/3, 1, 1 and t2i 1/2, 1, 1 -> (1/3 + 2 + 1/2 + 2) / 6
    Map<String, Double> metrics = RankingMetrics.retrieval(SIMILARITY, OWNER);
    assertThat(RankingMetrics.meanRecall(metrics))
        .isCloseTo((1 / 3.0 + 2 + 0.5 + 2) / 6, within(1e-12));
  }
}
