package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StepRunnerTest {

  private static final TrainSpec TINY =
      TrainSpec.defaults()
          .with(
              new JsonObject()
                  .put("batch_size", 8)
                  .put("image_size", 16)
                  .put("image_width", 4)
                  .put("embed_dim", 8)
                  .put("text_hidden", 8)
                  .put("text_heads", 2)
                  .put("text_layers", 1)
                  .put("max_tokens", 5)
                  .put("learning_rate", 1e-2));

  private static final Shape IMAGES = new Shape(8, 3, 16, 16);
  private static final Shape TOKENS = new Shape(8, 5);

  private interface Body {
    void run(Model model, Trainer trainer, StepRunner runner);
  }

  /** SGD inside Lookahead, the paper's recipe, at rates that suit this tiny model. */
  private static final TrainSpec TINY_SGD =
      TINY.with(
          new JsonObject()
              .put("optimizer", "sgd")
              .put("learning_rate", 0.05)
              .put("lookahead_k", 2)
              .put("weight_decay", 1e-4));

  private static void withRunner(Body body) {
    withRunner(TINY, body);
  }

  private static void withRunner(TrainSpec spec, Body body) {
    EngineSetup.engine(1);
    ClipLiteModel network = ModelFactory.build(spec, 30);
    MiObjective objective = MiObjective.forName("jsd");
    TrainingOptimizer optimizer = OptimizerFactory.create(spec, network, 1000);
    try (Model model = Model.newInstance("tiny")) {
      model.setBlock(network);
      try (Trainer trainer =
          model.newTrainer(new DefaultTrainingConfig(objective).optOptimizer(optimizer))) {
        trainer.initialize(IMAGES, TOKENS);
        body.run(
            model,
            trainer,
            new StepRunner(trainer, network, objective, optimizer, spec.gradClipNorm()));
      }
    }
  }

  private static float[] pixels(Random random) {
    float[] pixels = new float[8 * 3 * 16 * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat() * 2 - 1;
    }
    return pixels;
  }

  private static TokenBatch tokens(Random random) {
    int[] tokens = new int[8 * 5];
    for (int row = 0; row < 8; row++) {
      tokens[row * 5] = 2;
      tokens[row * 5 + 1] = 3 + random.nextInt(27);
      tokens[row * 5 + 2] = 3 + random.nextInt(27);
    }
    return new TokenBatch(tokens, 8, 5);
  }

  static Stream<TrainSpec> optimizers() {
    return Stream.of(TINY, TINY_SGD);
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("optimizers")
  @DisplayName("repeated steps leave no arrays behind in the model's manager")
  void memoryStaysFlat(TrainSpec spec) {
    withRunner(
        spec,
        (model, trainer, runner) -> {
          Random random = new Random(3);
          float[] pixels = pixels(random);
          TokenBatch tokens = tokens(random);
          // the first step creates the optimiser state; from then on the count must not move
          runner.step(pixels, IMAGES, tokens);
          int after1 = model.getNDManager().getManagedArrays().size();
          for (int i = 0; i < 5; i++) {
            runner.step(pixels, IMAGES, tokens);
          }
          assertThat(model.getNDManager().getManagedArrays()).hasSize(after1);
        });
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("optimizers")
  @DisplayName("steps on one fixed batch drive its loss down")
  void lossFallsOnAFixedBatch(TrainSpec spec) {
    withRunner(
        spec,
        (model, trainer, runner) -> {
          Random random = new Random(4);
          float[] pixels = pixels(random);
          TokenBatch tokens = tokens(random);
          double first = runner.step(pixels, IMAGES, tokens);
          double last = first;
          for (int i = 0; i < 30; i++) {
            last = runner.step(pixels, IMAGES, tokens);
          }
          assertThat(last).isLessThan(first * 0.8);
        });
  }

  @Test
  @DisplayName("a NaN input gives a NaN loss and leaves the weights untouched")
  void nanLossSkipsUpdate() {
    withRunner(
        (model, trainer, runner) -> {
          Random random = new Random(5);
          float[] pixels = pixels(random);
          pixels[0] = Float.NaN;
          float[] before = firstWeights(model);
          double loss = runner.step(pixels, IMAGES, tokens(random));
          assertThat(loss).isNaN();
          assertThat(firstWeights(model)).isEqualTo(before);
        });
  }

  private static float[] firstWeights(Model model) {
    float[] values = model.getBlock().getParameters().get(0).getValue().getArray().toFloatArray();
    return Arrays.copyOf(values, values.length);
  }
}
