package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
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

  @BeforeEach
  void build() {
    manager = NDManager.newBaseManager();
    model =
        ClipLiteModel.builder()
            .setVocabularySize(VOCABULARY)
            .setMaxTokens(MAX_TOKENS)
            .optEmbedDim(8)
            .optImageWidth(4)
            .optImageDepths(1, 1)
            .optTextHidden(8)
            .optTextHeads(2)
            .optTextLayers(1)
            .build();
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
  @DisplayName("extra padding after a caption does not change its text embedding")
  void paddingIsMasked() {
    Block text = model.textTower();
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray short3 = text.forward(ps, new NDList(tokens(new int[][] {{2, 5, 9}})), false).head();
    NDArray padded =
        text.forward(ps, new NDList(tokens(new int[][] {{2, 5, 9, 0, 0, 0}})), false).head();
    assertThat(padded.toFloatArray()).containsExactly(short3.toFloatArray(), within(1e-5f));
    NDArray other =
        text.forward(ps, new NDList(tokens(new int[][] {{2, 5, 9, 4, 0, 0}})), false).head();
    assertThat(other.toFloatArray()).isNotEqualTo(short3.toFloatArray());
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

  @Test
  @DisplayName("the ResNet halves the resolution per stage and pools to width << (stages - 1)")
  void resnetFeatureSize() {
    Block encoder = ResNetEncoder.builder().setDepths(1, 1, 1).optWidth(4).optStemStride(2).build();
    encoder.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 64, 64));
    NDArray out =
        encoder
            .forward(
                new ParameterStore(manager, false),
                new NDList(manager.randomUniform(-1, 1, new Shape(2, 3, 64, 64))),
                false)
            .head();
    assertThat(out.getShape()).isEqualTo(new Shape(2, ResNetEncoder.featureSize(4, 3)));
    assertThat(ResNetEncoder.featureSize(4, 3)).isEqualTo(16);
  }

  @Test
  @DisplayName("the near-identity initializer is the rectangular identity when the noise is zero")
  void nearIdentity() {
    NDArray w =
        new NearIdentityInitializer(0f).initialize(manager, new Shape(2, 3), DataType.FLOAT32);
    assertThat(w.toFloatArray()).containsExactly(1, 0, 0, 0, 1, 0);
  }
}
