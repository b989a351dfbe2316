package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TextEncoderTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private TextEncoder encoder(int layers, TextEncoder.Pooling pooling) {
    TextEncoder encoder =
        TextEncoder.builder()
            .setVocabularySize(20)
            .setMaxTokens(6)
            .optHidden(8)
            .optHeads(2)
            .optLayers(layers)
            .optPooling(pooling)
            .build();
    encoder.initialize(manager, DataType.FLOAT32, new Shape(2, 6));
    return encoder;
  }

  private float[] encode(TextEncoder encoder, int[][] ids) {
    ParameterStore ps = new ParameterStore(manager, false);
    return encoder.forward(ps, new NDList(manager.create(ids)), false).head().toFloatArray();
  }

  @ParameterizedTest
  @EnumSource(TextEncoder.Pooling.class)
  @DisplayName("padding after a caption changes nothing, a word in its place does")
  void paddingIsMasked(TextEncoder.Pooling pooling) {
    TextEncoder encoder = encoder(1, pooling);
    float[] short3 = encode(encoder, new int[][] {{2, 5, 9}});
    assertThat(encode(encoder, new int[][] {{2, 5, 9, 0, 0, 0}}))
        .containsExactly(short3, within(1e-5f));
    assertThat(encode(encoder, new int[][] {{2, 5, 9, 4, 0, 0}})).isNotEqualTo(short3);
  }

  @Test
  @DisplayName("first-token pooling without layers sees only the first token; the mean sees all")
  void firstTokenPooling() {
    int[][] one = {{2, 5, 9}};
    int[][] other = {{2, 7, 3}};
    TextEncoder first = encoder(0, TextEncoder.Pooling.FIRST_TOKEN);
    assertThat(encode(first, other)).containsExactly(encode(first, one), within(1e-6f));
    TextEncoder mean = encoder(0, TextEncoder.Pooling.MEAN);
    assertThat(encode(mean, other)).isNotEqualTo(encode(mean, one));
  }

  @Test
  @DisplayName("the FLOP count matches a count by hand")
  void flopsByHand() {
    // H = 8, L = 5, one layer: projections 4·5·64 = 1280, feed-forward 2·5·8·32 = 2560,
    // scores and weighted sum 2·25·8 = 400, pooler 8·8 = 64 -> 4304 multiply-adds
    assertThat(encoder(1, TextEncoder.Pooling.FIRST_TOKEN).forwardFlops(5)).isEqualTo(8608);
    assertThat(encoder(1, TextEncoder.Pooling.MEAN).forwardFlops(5)).isEqualTo(8480);
  }

  @Test
  @DisplayName("the pooled output has the hidden size")
  void outputShape() {
    TextEncoder encoder = encoder(2, TextEncoder.Pooling.FIRST_TOKEN);
    NDArray out =
        encoder
            .forward(
                new ParameterStore(manager, false),
                new NDList(manager.create(new int[][] {{2, 5, 0}, {2, 6, 7}})),
                false)
            .head();
    assertThat(out.getShape()).isEqualTo(new Shape(2, 8));
  }
}
