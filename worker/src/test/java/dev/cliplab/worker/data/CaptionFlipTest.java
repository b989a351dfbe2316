package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptionFlipTest {

  @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "left hand | right hand",
        "right hand | left hand",
        "Left arrow pointing RIGHT | Right arrow pointing LEFT",
        "left-right arrow | right-left arrow",
        "hand, left, point | hand, right, point",
        "Leftover pizza | Leftover pizza",
        "rightwards arrow | rightwards arrow",
        "bright light | bright light",
        "a cat | a cat",
      })
  void swapsWholeWordsKeepingCase(String caption, String flipped) {
    assertThat(CaptionFlip.swapLeftRight(caption)).isEqualTo(flipped);
  }

  @ParameterizedTest(name = "flipping \"{0}\" twice gives it back")
  @CsvSource({"left speech bubble", "RIGHT anger bubble", "Left, right, LEFT"})
  void twiceIsTheIdentity(String caption) {
    assertThat(CaptionFlip.swapLeftRight(CaptionFlip.swapLeftRight(caption))).isEqualTo(caption);
  }
}
