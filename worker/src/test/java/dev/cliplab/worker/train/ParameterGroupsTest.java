package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The groups and decay rules on the real CLIP-Lite parameter list. */
class ParameterGroupsTest {

  private static final TrainSpec TINY =
      TrainSpec.defaults()
          .with(
              new JsonObject()
                  .put("image_size", 16)
                  .put("image_width", 4)
                  .put("embed_dim", 8)
                  .put("text_hidden", 8)
                  .put("text_heads", 2)
                  .put("text_layers", 1)
                  .put("max_tokens", 5));

  private static boolean endsWithAny(String name, String... suffixes) {
    return List.of(suffixes).stream().anyMatch(name::endsWith);
  }

  @Test
  @DisplayName("the ResNet forms the image group, and only weights may decay")
  void groupsOfTheRealModel() {
    ParameterGroups groups = ParameterGroups.of(ModelFactory.build(TINY, 30));
    List<ParameterGroups.Member> members = List.copyOf(groups.members());

    // resnet10 (one basic block per stage, 4 stages): convolutions are the stem, 2 per block and
    // a 1x1 projection where stages 2-4 change width: 1 + 4 * 2 + 3 = 12, none with a bias; each
    // is followed by a batch norm with gamma and beta: 24 more.
    List<ParameterGroups.Member> image =
        members.stream().filter(ParameterGroups.Member::imageEncoder).toList();
    assertThat(image).hasSize(36);
    assertThat(image.stream().filter(ParameterGroups.Member::decayable)).hasSize(12);
    assertThat(image).allSatisfy(m -> assertThat(m.name()).contains("image_encoder"));
    assertThat(members.stream().filter(m -> !m.imageEncoder()))
        .allSatisfy(m -> assertThat(m.name()).doesNotContain("image_encoder"))
        .anySatisfy(m -> assertThat(m.name()).contains("image_head"));

    // Decided by parameter type in the code; checked here by name.
    assertThat(members)
        .allSatisfy(
            m ->
                assertThat(m.decayable())
                    .as(m.name())
                    .isEqualTo(endsWithAny(m.name(), "_weight", "_embedding")));
    assertThat(members)
        .filteredOn(m -> endsWithAny(m.name(), "gamma", "beta", "bias", "log_scale"))
        .isNotEmpty()
        .noneMatch(ParameterGroups.Member::decayable);
    assertThat(members).noneMatch(m -> m.name().contains("running"));
    assertThat(members)
        .filteredOn(m -> m.name().equals("log_scale"))
        .singleElement()
        .satisfies(m -> assertThat(m.imageEncoder() || m.decayable()).isFalse());
  }

  @Test
  @DisplayName(
      "through the trainer, a decay-only SGD step shrinks each group's weights by its rate")
  void decayOnlyStepOnTheRealModel() {
    // SGD without momentum, gradients scaled to 0, weight decay 0.5, warm-up of 1 step so step 1
    // runs at the peak: image weights w -= 0.2 * 0.5 w (x 0.9), other weights w -= 0.01 * 0.5 w
    // (x 0.995); norms, biases and the critic scale stay exactly as they were.
    TrainSpec spec =
        TINY.with(
            new JsonObject()
                .put("optimizer", "sgd")
                .put("momentum", 0)
                .put("learning_rate", 0.01)
                .put("image_learning_rate", 0.2)
                .put("weight_decay", 0.5)
                .put("warmup_steps", 1));
    EngineSetup.engine(2);
    ClipLiteModel network = ModelFactory.build(spec, 30);
    TrainingOptimizer optimizer = OptimizerFactory.create(spec, network, 100);
    ParameterGroups groups = ParameterGroups.of(network);
    try (Model model = Model.newInstance("tiny")) {
      model.setBlock(network);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(MiObjective.forName("jsd")).optOptimizer(optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(4, 3, 16, 16), new Shape(4, 5));
        backwardOnce(trainer);
        Map<String, float[]> before = trainable(network);
        optimizer.setGradientScale(0f);
        trainer.step();
        Map<String, float[]> after = trainable(network);
        for (ParameterGroups.Member m : groups.members()) {
          float[] w0 = before.get(m.name());
          float[] w1 = after.get(m.name());
          if (!m.decayable()) {
            assertThat(w1).as(m.name()).containsExactly(w0);
            continue;
          }
          float factor = m.imageEncoder() ? 0.9f : 0.995f;
          for (int i = 0; i < w0.length; i++) {
            assertThat(w1[i]).as(m.name()).isCloseTo(w0[i] * factor, within(1e-6f));
          }
        }
      }
    }
  }

  private static void backwardOnce(Trainer trainer) {
    float[] pixels = new float[4 * 3 * 16 * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i % 7) / 3.5f - 1;
    }
    int[] ids = {2, 3, 4, 0, 0, 2, 5, 6, 7, 0, 2, 8, 0, 0, 0, 2, 9, 10, 11, 12};
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDList out =
          trainer.forward(
              new NDList(
                  trainer.getManager().create(pixels, new Shape(4, 3, 16, 16)),
                  trainer.getManager().create(ids, new Shape(4, 5))));
      NDArray loss = out.get(0).sum();
      for (int i = 1; i < out.size(); i++) {
        loss = loss.add(out.get(i).sum());
      }
      collector.backward(loss);
    }
  }

  private static Map<String, float[]> trainable(ClipLiteModel network) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : network.getParameters()) {
      if (p.getValue().requiresGradient()) {
        values.put(p.getKey(), p.getValue().getArray().toFloatArray().clone());
      }
    }
    return values;
  }
}
