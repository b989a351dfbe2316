package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PriorDiscriminatorTest {

  private static final Shape FEATURES = new Shape(2, 4);

  private NDManager manager;
  private PriorDiscriminator discriminator;

  @BeforeEach
  void build() {
    manager = NDManager.newBaseManager();
    discriminator = new PriorDiscriminator();
    // Seeded, so that the finite differences below never straddle a ReLU kink by chance.
    Engine.getInstance().setRandomSeed(7);
    discriminator.initialize(manager, DataType.FLOAT32, FEATURES);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDList logits(NDArray features, boolean training) {
    return discriminator.forward(
        new ParameterStore(manager, false), new NDList(features), training);
  }

  /** The mean of sp(d) over the discriminator's logits on the features alone. */
  private double featureTerm(float[] features) {
    NDArray logits = logits(manager.create(features, FEATURES), false).get(0);
    return Activation.softPlus(logits).mean().getFloat();
  }

  @Test
  @DisplayName("the prior term is the mean softplus on features plus on negated noise logits")
  void priorTermByHand() {
    // features [0, 2], noise [0, −1]:
    // (log 2 + log(1 + e²)) / 2 + (log 2 + log(1 + e)) / 2 = 1.410038 + 1.003205 = 2.413242
    NDArray features = manager.create(new float[] {0, 2}, new Shape(2, 1));
    NDArray noise = manager.create(new float[] {0, -1}, new Shape(2, 1));
    float loss = new PriorMatchingLoss().loss(features, noise).getFloat();
    assertThat(loss).isCloseTo(2.413242f, within(1e-5f));
  }

  @Test
  @DisplayName("the discriminator descends the prior term while the encoder's features ascend it")
  void adversarialGradients() {
    float[] x = {0.3f, 1.2f, 0.0f, 2.5f, 0.7f, 0.1f, 1.9f, 0.4f};
    NDArray features = manager.create(x, FEATURES);
    features.setRequiresGradient(true);
    NDArray featureLogits;
    NDArray noiseLogits;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      NDList out = logits(features, true);
      featureLogits = out.get(0);
      noiseLogits = out.get(1);
      collector.backward(new PriorMatchingLoss().loss(featureLogits, noiseLogits));
    }

    // The last bias b shifts every logit: dL/db = mean σ(d_features) − mean σ(−d_noise), the
    // discriminator's own descent direction.
    double expected =
        Activation.sigmoid(featureLogits).mean().getFloat()
            - Activation.sigmoid(noiseLogits.neg()).mean().getFloat();
    List<Parameter> parameters = discriminator.getParameters().values();
    Parameter lastBias = parameters.get(parameters.size() - 1);
    assertThat(lastBias.getName()).isEqualTo("bias");
    assertThat(lastBias.getArray().getGradient().getFloat())
        .isCloseTo((float) expected, within(1e-5f));

    // The features get the negated gradient of the term, which central differences give.
    float[] gradient = features.getGradient().toFloatArray();
    float h = 1e-3f;
    for (int i = 0; i < x.length; i++) {
      float[] up = x.clone();
      float[] down = x.clone();
      up[i] += h;
      down[i] -= h;
      double numeric = (featureTerm(up) - featureTerm(down)) / (2 * h);
      assertThat((double) gradient[i]).isCloseTo(-numeric, within(2e-3 + 0.05 * Math.abs(numeric)));
    }
    assertThat(features.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
  }

  @Test
  @DisplayName("one logit per feature vector and one per noise vector")
  void shapes() {
    NDList out = logits(manager.randomUniform(0, 3, FEATURES), false);
    assertThat(out.get(0).getShape()).isEqualTo(new Shape(2, 1));
    assertThat(out.get(1).getShape()).isEqualTo(new Shape(2, 1));
  }

  @Test
  @DisplayName("the FLOP count covers the three layers on features and noise")
  void flopsByHand() {
    // (4·1000 + 1000·200 + 200·1) multiply-adds, twice (features, noise), 2 FLOPs each
    assertThat(PriorDiscriminator.forwardFlops(4)).isEqualTo(4 * 204_200L);
  }
}
