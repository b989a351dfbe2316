package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.data.CaptionedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrainingDataTest {

  private static List<CaptionedImage> images(int n) {
    List<CaptionedImage> images = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      images.add(new CaptionedImage(i, i + ".png", List.of("caption " + i)));
    }
    return images;
  }

  @Test
  @DisplayName("a subset keeps file order, draws from the whole list and is the same every time")
  void subsetSpreadsAndRepeats() {
    List<CaptionedImage> all = images(1000);
    List<CaptionedImage> subset = TrainingData.subset(all, 100);
    assertThat(subset)
        .hasSize(100)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo((a, b) -> Long.compare(a.id(), b.id()));
    // a prefix would end at id 99; a spread subset reaches into the last tenth of the list
    assertThat(subset.get(99).id()).isGreaterThan(900);
    assertThat(subset.get(0).id()).isLessThan(100);
    assertThat(TrainingData.subset(all, 100)).isEqualTo(subset);
  }

  @Test
  @DisplayName("zero, or a limit at least the list's size, keeps every image")
  void noLimit() {
    List<CaptionedImage> all = images(10);
    assertThat(TrainingData.subset(all, 0)).isEqualTo(all);
    assertThat(TrainingData.subset(all, 10)).isEqualTo(all);
    assertThat(TrainingData.subset(all, 50)).isEqualTo(all);
  }
}
