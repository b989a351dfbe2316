package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClipLiteModelTest {

  private static final int VOCABULARY = 20;
  private static final int MAX_TOKENS = 6;

  private NDManager manager;
  private ClipLiteModel model;

  private static ClipLiteModelBuilder builder() {
    return ClipLiteModel.builder()
        .setVocabularySize(VOCABULARY)
        .setMaxTokens(MAX_TOKENS)
        .optEmbedDim(8)
        .optImageWidth(4)
        .optImageDepths(1, 1)
        .optTextHidden(8)
        .optTextHeads(2)
        .optTextLayers(1);
  }

  @BeforeEach
  void build() {
    manager = NDManager.newBaseManager();
    model = builder().build();
    model.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 16, 16), new Shape(2, MAX_TOKENS));
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray tokens(int[][] ids) {
    return manager.create(ids);
  }

  private NDList forward(NDArray images, NDArray tokens) {
    return model.forward(new ParameterStore(manager, false), new NDList(images, tokens), false);
  }

  @Test
  @DisplayName(
      "both towers give unit vectors of the embedding size, and the scale starts at 1/0.07")
  void shapesAndScale() {
    NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
    NDList out = forward(images, tokens(new int[][] {{2, 5, 6, 0, 0, 0}, {2, 7, 0, 0, 0, 0}}));
    assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 8));
    assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 8));
    float[] norms = out.get(0).norm(new int[] {1}).toFloatArray();
    assertThat(norms).containsExactly(new float[] {1, 1}, within(1e-5f));
    assertThat(out.get(1).norm(new int[] {1}).toFloatArray())
        .containsExactly(new float[] {1, 1}, within(1e-5f));
    assertThat(out.get(2).getFloat()).isCloseTo(1 / 0.07f, within(1e-3f));
    assertThat(model.temperature()).isCloseTo(0.07, within(1e-6));
  }

  @Test
  @DisplayName("the critic is the scale times the cosine, worked out on hand-made unit vectors")
  void critic() {
    // images (1, 0) and (0.6, 0.8); texts (0.6, 0.8) and (0, 1); scale 10
    // cos: [[0.6, 0], [0.36 + 0.64, 0.8]] = [[0.6, 0], [1, 0.8]] -> times 10
    NDArray images = manager.create(new float[][] {{1, 0}, {0.6f, 0.8f}});
    NDArray texts = manager.create(new float[][] {{0.6f, 0.8f}, {0, 1}});
    NDArray scores = ClipLiteModel.critic(images, texts, manager.create(new float[] {10}));
    assertThat(scores.toFloatArray()).containsExactly(new float[] {6, 0, 10, 8}, within(1e-5f));
  }

  @Test
  @DisplayName("one image's embedding does not depend on the rest of the batch at inference")
  void inferenceIsPerImage() {
    Block image = model.imageTower();
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray batch = manager.randomUniform(-1, 1, new Shape(3, 3, 16, 16));
    NDArray all = image.forward(ps, new NDList(batch), false).head();
    NDArray first = image.forward(ps, new NDList(batch.get("0:1")), false).head();
    assertThat(first.toFloatArray()).containsExactly(all.get("0:1").toFloatArray(), within(1e-5f));
  }

  private Parameter logScale() {
    return model.getParameters().get("log_scale");
  }

  private NDArray scale(NDArray images, NDArray ids) {
    return forward(images, ids).get(ClipLiteModel.SCALE);
  }

  @Test
  @DisplayName("the scale is capped at 100 and floored at 1, and clamping t keeps its gradient")
  void scaleLimits() {
    NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
    NDArray ids = tokens(new int[][] {{2, 5, 0, 0, 0, 0}, {2, 7, 0, 0, 0, 0}});
    NDArray t = logScale().getArray();

    t.set(new float[] {6f});
    assertThat(scale(images, ids).getFloat()).isCloseTo(100f, within(1e-3f));
    assertThat(model.temperature()).isCloseTo(0.01, within(1e-6));
    model.clampLogScale();
    assertThat(t.getFloat()).isCloseTo((float) Math.log(100), within(1e-6f));

    // At the cap itself d exp(t)/dt = exp(t) = 100 still flows back to t.
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDList out = model.forward(new ParameterStore(manager, false), new NDList(images, ids), true);
      collector.backward(out.get(ClipLiteModel.SCALE).sum());
    }
    assertThat(t.getGradient().getFloat()).isCloseTo(100f, within(1e-2f));

    t.set(new float[] {-1f});
    assertThat(scale(images, ids).getFloat()).isCloseTo(1f, within(1e-6f));
    model.clampLogScale();
    assertThat(t.getFloat()).isEqualTo(0f);
  }

  @Test
  @DisplayName("with the prior on, the forward output adds one logit per image and per noise row")
  void priorOutputs() {
    ClipLiteModel withPrior = builder().optPrior(true).build();
    withPrior.initialize(
        manager, DataType.FLOAT32, new Shape(2, 3, 16, 16), new Shape(2, MAX_TOKENS));
    NDList out =
        withPrior.forward(
            new ParameterStore(manager, false),
            new NDList(
                manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16)),
                tokens(new int[][] {{2, 5, 0, 0, 0, 0}, {2, 7, 0, 0, 0, 0}})),
            true);
    assertThat(withPrior.hasPrior()).isTrue();
    assertThat(model.hasPrior()).isFalse();
    assertThat(out).hasSize(5);
    assertThat(out.get(ClipLiteModel.PRIOR_FEATURE_LOGITS).getShape()).isEqualTo(new Shape(2, 1));
    assertThat(out.get(ClipLiteModel.PRIOR_NOISE_LOGITS).getShape()).isEqualTo(new Shape(2, 1));
    assertThat(new PriorMatchingLoss().evaluate(new NDList(), out).getFloat()).isPositive();
  }

  @Test
  @DisplayName("the image encoder alone gives the pooled features the image head reads")
  void imageEncoderFeatures() {
    NDArray images = manager.randomUniform(-1, 1, new Shape(2, 3, 16, 16));
    NDArray features =
        model
            .imageEncoder()
            .forward(new ParameterStore(manager, false), new NDList(images), false)
            .head();
    // depths {1, 1} at width 4: the second stage has 8 channels
    assertThat(features.getShape()).isEqualTo(new Shape(2, 8));
    assertThat(model.imageTower().getChildren().valueAt(0)).isSameAs(model.imageEncoder());
  }

  @Test
  @DisplayName("the model's FLOP count is the sum of its parts, worked out by hand")
  void flopsByHand() {
    ClipLiteModel tiny =
        ClipLiteModel.builder()
            .setVocabularySize(VOCABULARY)
            .setMaxTokens(MAX_TOKENS)
            .optEmbedDim(8)
            .optImageWidth(2)
            .optImageDepths(1, 1)
            .optTextHidden(8)
            .optTextHeads(2)
            .optTextLayers(1)
            .optPrior(true)
            .build();
    // image: 8 px ResNet {1, 1} at width 2, 11648 multiply-adds (see ResNetEncoderTest), 4
    //   features; head 4·8 + 8·8 + 4·8 = 128
    // text: 5 tokens, H = 8, one layer and the pooler, 4304 (see TextEncoderTest);
    //   head 3 · 8·8 = 192
    // prior: 2 × (4·1000 + 1000·200 + 200) = 408400
    long macs = 11_648 + 128 + 4_304 + 192 + 408_400;
    assertThat(tiny.forwardFlops(8, 5)).isEqualTo(2 * macs);
  }
}
