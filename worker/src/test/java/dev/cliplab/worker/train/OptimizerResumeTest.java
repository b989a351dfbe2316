package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Saving and restoring optimiser state continues a run bit for bit. */
class OptimizerResumeTest {

  private static final int BATCH = 8;
  private static final int SIDE = 16;
  private static final int TOKENS = 5;
  private static final Shape IMAGES = new Shape(BATCH, 3, SIDE, SIDE);

  /** A small clip norm, so that the clipping scale is part of every step. */
  private static final TrainSpec TINY =
      TrainSpec.defaults()
          .with(
              new JsonObject()
                  .put("batch_size", BATCH)
                  .put("image_size", SIDE)
                  .put("image_width", 4)
                  .put("embed_dim", 8)
                  .put("text_hidden", 8)
                  .put("text_heads", 2)
                  .put("text_layers", 1)
                  .put("max_tokens", TOKENS)
                  .put("warmup_steps", 3)
                  .put("grad_clip_norm", 0.5));

  static Stream<TrainSpec> optimizers() {
    return Stream.of(
        TINY.with(new JsonObject().put("optimizer", "adamw").put("learning_rate", 1e-2)),
        TINY.with(
            new JsonObject()
                .put("optimizer", "sgd")
                .put("learning_rate", 0.05)
                .put("image_learning_rate", 0.1)
                .put("weight_decay", 1e-3)
                .put("lookahead_k", 3)));
  }

  /** One model, trainer, optimiser and step runner. */
  private static final class Session implements AutoCloseable {
    final ClipLiteModel network;
    final TrainingOptimizer optimizer;
    final Model model;
    final Trainer trainer;
    final StepRunner runner;

    Session(TrainSpec spec) {
      EngineSetup.engine(7);
      network = ModelFactory.build(spec, 30);
      optimizer = OptimizerFactory.create(spec, network, 20);
      model = Model.newInstance("tiny");
      model.setBlock(network);
      MiObjective objective = MiObjective.forName(spec.objective());
      trainer = model.newTrainer(new DefaultTrainingConfig(objective).optOptimizer(optimizer));
      trainer.initialize(IMAGES, new Shape(BATCH, TOKENS));
      runner = new StepRunner(trainer, network, objective, optimizer, spec.gradClipNorm());
    }

    void run(List<Batch> batches) {
      batches.forEach(b -> runner.step(b.pixels(), IMAGES, b.tokens()));
    }

    /** Every parameter, running statistics included, by name. */
    Map<String, float[]> parameters() {
      Map<String, float[]> values = new LinkedHashMap<>();
      for (Pair<String, Parameter> p : network.getParameters()) {
        values.put(p.getKey(), p.getValue().getArray().toFloatArray().clone());
      }
      return values;
    }

    void setParameters(Map<String, float[]> values) {
      for (Pair<String, Parameter> p : network.getParameters()) {
        p.getValue().getArray().set(values.get(p.getKey()));
      }
    }

    byte[] saveOptimizer() throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        optimizer.save(out);
      }
      return bytes.toByteArray();
    }

    void loadOptimizer(byte[] state) throws IOException {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
        optimizer.load(in, model.getNDManager());
      }
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }

  private record Batch(float[] pixels, TokenBatch tokens) {}

  private static List<Batch> batches(int count) {
    Random random = new Random(11);
    List<Batch> batches = new ArrayList<>();
    for (int b = 0; b < count; b++) {
      float[] pixels = new float[BATCH * 3 * SIDE * SIDE];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat() * 2 - 1;
      }
      int[] ids = new int[BATCH * TOKENS];
      for (int row = 0; row < BATCH; row++) {
        ids[row * TOKENS] = 2;
        ids[row * TOKENS + 1] = 3 + random.nextInt(27);
        ids[row * TOKENS + 2] = 3 + random.nextInt(27);
      }
      batches.add(new Batch(pixels, new TokenBatch(ids, BATCH, TOKENS)));
    }
    return batches;
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("optimizers")
  @DisplayName("N steps, save, M more equals restore into a fresh optimiser and M steps, exactly")
  void resumesBitForBit(TrainSpec spec) throws IOException {
    // 4 + 4 steps: with Lookahead k = 3 the save falls between two synchronisations, and the
    // warm-up of 3 steps ends before it, so restored step counts must place both right.
    List<Batch> batches = batches(8);
    List<Batch> first = batches.subList(0, 4);
    List<Batch> rest = batches.subList(4, 8);
    Map<String, float[]> atSave;
    byte[] state;
    Map<String, float[]> straight;
    try (Session session = new Session(spec)) {
      session.run(first);
      atSave = session.parameters();
      state = session.saveOptimizer();
      session.run(rest);
      straight = session.parameters();
    }

    Map<String, float[]> resumed;
    Map<String, float[]> withoutState;
    try (Session session = new Session(spec)) {
      session.setParameters(atSave);
      session.loadOptimizer(state);
      session.run(rest);
      resumed = session.parameters();
    }
    try (Session session = new Session(spec)) {
      session.setParameters(atSave);
      session.run(rest);
      withoutState = session.parameters();
    }

    assertThat(resumed.keySet()).isEqualTo(straight.keySet());
    straight.forEach((name, values) -> assertThat(resumed.get(name)).as(name).isEqualTo(values));
    // The same weights without the optimiser state end elsewhere: the state matters.
    assertThat(straight.keySet())
        .anyMatch(name -> !java.util.Arrays.equals(straight.get(name), withoutState.get(name)));
  }

  @Test
  @DisplayName("state saved by one kind of optimiser is refused by another, by name")
  void refusesAnotherKind() throws IOException {
    byte[] state;
    List<Batch> batches = batches(1);
    try (Session adam = new Session(TINY.with(new JsonObject().put("optimizer", "adamw")))) {
      adam.run(batches);
      state = adam.saveOptimizer();
    }
    try (Session sgd = new Session(TINY.with(new JsonObject().put("optimizer", "sgd")))) {
      assertThatThrownBy(() -> sgd.loadOptimizer(state))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("adamw")
          .hasMessageContaining("sgd");
    }
  }
}
