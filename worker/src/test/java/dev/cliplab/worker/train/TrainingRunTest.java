package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.ClipLiteModel;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a small model on the committed fixture corpus. */
class TrainingRunTest {

  private static final TrainSpec SMALL = TrainSpec.defaults().with(TinyRuns.params());

  @TempDir static Path scratch;

  private static DemoCorpus corpus;
  private static Path workDir;
  private static Recorder recorder;
  private static TrainingOutcome outcome;

  /** Works on a copy, because the run writes its pixel caches into the corpus. */
  @BeforeAll
  static void trainOnce() throws IOException {
    corpus = new DemoCorpus(TinyRuns.copyFixture(scratch.resolve("fixture")));
    workDir = scratch.resolve("run");
    recorder = new Recorder(Integer.MAX_VALUE);
    outcome = TrainingRun.run(SMALL, corpus, workDir, recorder);
  }

  private static double meanRecall(Map<String, Double> results) {
    return results.entrySet().stream()
        .filter(e -> e.getKey().startsWith("retrieval_heldout/"))
        .mapToDouble(Map.Entry::getValue)
        .average()
        .orElseThrow();
  }

  @Test
  @DisplayName("the run succeeds after every step of every epoch")
  void succeeds() {
    // 231 training images in batches of 16 -> 14 full batches per epoch
    assertThat(outcome.status()).isEqualTo(TrainingOutcome.SUCCEEDED);
    assertThat(outcome.steps()).isEqualTo(12 * 14);
    assertThat(outcome.finalLoss()).isFinite();
  }

  @Test
  @DisplayName("the loss at the end is lower than at the start")
  void lossFalls() {
    List<Double> losses = recorder.values("loss");
    double start = (losses.get(0) + losses.get(1)) / 2;
    double end = (losses.get(losses.size() - 1) + losses.get(losses.size() - 2)) / 2;
    assertThat(end).isLessThan(start);
  }

  @Test
  @DisplayName("held-out retrieval after training beats the untrained model")
  void retrievalImproves() {
    // Every task of the suite on the fixture: VOC with 11 classes (11 APs and the mAP),
    // Fashion-MNIST linear (top-1, top-5) and zero-shot, emoji groups, and 7 retrieval figures.
    assertThat(recorder.evaluations.get("untrained"))
        .hasSize(12 + 3 + 1 + 7)
        .containsKeys(
            "voc_emoji/map", "fashion_mnist_linear/top5", "retrieval_heldout/mean_recall");
    assertThat(workDir.resolve("evaluation-final.json")).isRegularFile();
    assertThat(meanRecall(recorder.evaluations.get("final")))
        .isGreaterThan(meanRecall(recorder.evaluations.get("untrained")));
  }

  @Test
  @DisplayName(
      "metrics come every ten steps and at the last one, with the five expected names, and"
          + " epoch_loss at each epoch's last step")
  void metrics() {
    assertThat(recorder.metricNames)
        .containsExactlyInAnyOrder(
            "loss", "mi_estimate", "temperature", "learning_rate", "images_per_sec", "epoch_loss");
    assertThat(recorder.steps("epoch_loss"))
        .containsExactly(14L, 28L, 42L, 56L, 70L, 84L, 98L, 112L, 126L, 140L, 154L, 168L);
    assertThat(recorder.values("epoch_loss")).allMatch(Double::isFinite);
    assertThat(workDir.resolve(Checkpoints.DIR)).isDirectoryContaining("glob:**/step-000000168");
    assertThat(recorder.steps("loss")).startsWith(10L, 20L).endsWith(160L, 168L);
    // the cosine schedule ends at zero on the last step
    assertThat(recorder.values("learning_rate")).last().isEqualTo(0.0);
    List<Double> losses = recorder.values("loss");
    List<Double> estimates = recorder.values("mi_estimate");
    for (int i = 0; i < losses.size(); i++) {
      assertThat(estimates.get(i)).isEqualTo(-losses.get(i));
    }
    assertThat(recorder.values("images_per_sec")).allMatch(v -> v > 0);
  }

  @Test
  @DisplayName("one checkpoint per epoch is written, and the last one loads into a fresh model")
  void checkpoints() throws Exception {
    assertThat(recorder.checkpoints).hasSize(12);
    assertThat(recorder.checkpoints.get(0)).isEqualTo(workDir.resolve("clip-lite-0001.params"));
    Path last = recorder.checkpoints.get(11);
    assertThat(last).isEqualTo(workDir.resolve("clip-lite-0012.params")).isRegularFile();
    assertThat(workDir.resolve(TrainingRun.SPEC_FILE)).isRegularFile();

    Vocabulary vocabulary = Vocabulary.load(workDir.resolve(TrainingRun.VOCABULARY_FILE));
    ClipLiteModel block = ModelFactory.build(SMALL, vocabulary.size());
    try (Model model = Model.newInstance(TrainingRun.MODEL_NAME)) {
      model.setBlock(block);
      block.initialize(
          model.getNDManager(),
          ai.djl.ndarray.types.DataType.FLOAT32,
          new Shape(1, 3, 32, 32),
          new Shape(1, SMALL.maxTokens()));
      model.load(workDir, TrainingRun.MODEL_NAME, Map.of("epoch", "12"));
      double trained =
          recorder.values("temperature").get(recorder.values("temperature").size() - 1);
      assertThat(block.temperature()).isEqualTo(trained);
    }
  }

  @Test
  @DisplayName("a stop request ends the run before the next step, without a final evaluation")
  void stops(@TempDir Path otherWork) throws IOException {
    Recorder stopping = new Recorder(5);
    TrainingOutcome stopped = TrainingRun.run(SMALL, corpus, otherWork, stopping);
    assertThat(stopped.status()).isEqualTo(TrainingOutcome.STOPPED);
    assertThat(stopped.steps()).isEqualTo(5);
    assertThat(stopping.evaluations).containsOnlyKeys("untrained");
  }

  @Test
  @DisplayName("a run stopped mid-epoch and resumed follows the uninterrupted run's loss curve")
  void resumesWhereItStopped(@TempDir Path whole, @TempDir Path halves) throws IOException {
    // 14 batches per epoch: step 20 stops in the middle of the second epoch. The prior term and
    // Lookahead are on, so random draws and optimiser state must both be restored.
    TrainSpec spec =
        SMALL.with(
            new JsonObject()
                .put("epochs", 3)
                .put("checkpoint_every", 7)
                .put("prior_weight", 0.1)
                .put("lookahead_k", 3));
    Recorder uninterrupted = new Recorder(Integer.MAX_VALUE);
    TrainingRun.run(spec, corpus, whole, uninterrupted);

    Recorder first = new Recorder(20);
    assertThat(TrainingRun.run(spec, corpus, halves, first).status())
        .isEqualTo(TrainingOutcome.STOPPED);
    Recorder second = new Recorder(Integer.MAX_VALUE);
    TrainingOutcome resumed = TrainingRun.run(spec, corpus, halves, second);

    assertThat(resumed.status()).isEqualTo(TrainingOutcome.SUCCEEDED);
    assertThat(resumed.steps()).isEqualTo(42);
    assertThat(first.steps("loss")).containsExactly(10L, 20L);
    assertThat(second.steps("loss")).containsExactly(30L, 40L, 42L);
    assertThat(second.evaluations).containsOnlyKeys("final");
    List<Double> joined = new ArrayList<>(first.values("loss"));
    joined.addAll(second.values("loss"));
    List<Double> expected = uninterrupted.values("loss");
    assertThat(joined).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(joined.get(i)).as("loss %d", i).isCloseTo(expected.get(i), within(1e-4));
    }
    // The second epoch's mean counts the six steps taken before the stop.
    List<Double> epochLosses = new ArrayList<>(first.values("epoch_loss"));
    epochLosses.addAll(second.values("epoch_loss"));
    List<Double> uninterruptedEpochLosses = uninterrupted.values("epoch_loss");
    assertThat(second.steps("epoch_loss")).containsExactly(28L, 42L);
    for (int i = 0; i < 3; i++) {
      assertThat(epochLosses.get(i))
          .as("epoch_loss %d", i + 1)
          .isCloseTo(uninterruptedEpochLosses.get(i), within(1e-4));
    }
    uninterrupted
        .evaluations
        .get("final")
        .forEach(
            (metric, value) ->
                assertThat(second.evaluations.get("final").get(metric))
                    .as(metric)
                    .isCloseTo(value, within(1e-3)));
  }

  @Test
  @DisplayName("a run trains on a thread other than the one that loaded the engine")
  void trainsOnAnotherThread(@TempDir Path otherWork) throws Exception {
    // The engine loaded on the main thread in trainOnce; Lookahead and AdamW update in place.
    TrainSpec spec =
        SMALL.with(
            new JsonObject().put("epochs", 1).put("lookahead_k", 3).put("evaluations", List.of()));
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      TrainingOutcome elsewhere =
          other
              .submit(
                  () -> TrainingRun.run(spec, corpus, otherWork, new Recorder(Integer.MAX_VALUE)))
              .get();
      assertThat(elsewhere.status()).isEqualTo(TrainingOutcome.SUCCEEDED);
      assertThat(elsewhere.steps()).isEqualTo(14);
    } finally {
      other.shutdown();
    }
  }

  @Test
  @DisplayName(
      "a run its listener prunes after epoch 1 ends there with that epoch's checkpoint, and resumed"
          + " it asks about epoch 1 again with the same loss")
  void prunedAtAnEpochEnd(@TempDir Path otherWork) throws IOException {
    TrainSpec spec = SMALL.with(new JsonObject().put("epochs", 3).put("evaluations", List.of()));
    Recorder pruning = new Recorder(Integer.MAX_VALUE, 1);
    TrainingOutcome pruned = TrainingRun.run(spec, corpus, otherWork, pruning);

    assertThat(pruned.status()).isEqualTo(TrainingOutcome.PRUNED);
    assertThat(pruned.steps()).isEqualTo(14);
    assertThat(pruned.message()).contains("after epoch 1 at step 14");
    assertThat(pruning.checkpoints).containsExactly(otherWork.resolve("clip-lite-0001.params"));
    assertThat(pruning.asked).hasSize(1);
    assertThat(pruning.asked.get(0).epoch()).isEqualTo(1);
    assertThat(pruning.asked.get(0).step()).isEqualTo(14);
    assertThat(pruning.values("epoch_loss")).containsExactly(pruning.asked.get(0).loss());
    assertThat(pruning.evaluations).doesNotContainKey("final");

    Recorder resumed = new Recorder(Integer.MAX_VALUE);
    TrainingOutcome rest = TrainingRun.run(spec, corpus, otherWork, resumed);
    assertThat(rest.status()).isEqualTo(TrainingOutcome.SUCCEEDED);
    assertThat(rest.steps()).isEqualTo(42);
    assertThat(resumed.asked).hasSize(3);
    assertThat(resumed.asked.get(0)).isEqualTo(pruning.asked.get(0));
    assertThat(resumed.asked.stream().map(Asked::step)).containsExactly(14L, 28L, 42L);
  }

  @Test
  @DisplayName(
      "a loss that becomes NaN ends the run as diverged with the step and last finite loss")
  void divergesOnNaN(@TempDir Path otherWork) throws IOException {
    // SGD's coupled decay with lr 10 and decay 10 multiplies every decayed weight by 1 - 100 = -99
    // per step, so float32 weights overflow within about 20 steps and the loss becomes NaN.
    TrainSpec exploding =
        SMALL.with(
            new JsonObject()
                .put("optimizer", "sgd")
                .put("learning_rate", 10)
                .put("image_learning_rate", 10)
                .put("weight_decay", 10)
                .put("grad_clip_norm", 0));
    Recorder recorder = new Recorder(Integer.MAX_VALUE);
    TrainingOutcome diverged = TrainingRun.run(exploding, corpus, otherWork, recorder);
    assertThat(diverged.status()).isEqualTo(TrainingOutcome.DIVERGED);
    assertThat(diverged.steps()).isBetween(2L, 30L);
    assertThat(diverged.message())
        .contains("at step " + diverged.steps())
        .contains("last finite loss")
        .contains("at step " + (diverged.steps() - 1));
    assertThat(recorder.evaluations).containsOnlyKeys("untrained");
  }

  @Test
  @DisplayName("a folder without a complete corpus is refused before anything is written")
  void refusesUnbuiltCorpus(@TempDir Path empty) {
    Path work = empty.resolve("run");
    assertThatThrownBy(() -> TrainingRun.run(SMALL, new DemoCorpus(empty), work, recorder))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no complete corpus");
    assertThat(work).doesNotExist();
  }

  @Test
  @DisplayName("a batch larger than the training set is refused naming batch_size")
  void refusesOversizedBatch(@TempDir Path otherWork) {
    TrainSpec big = SMALL.with(new JsonObject().put("batch_size", 1000));
    assertThatThrownBy(() -> TrainingRun.run(big, corpus, otherWork, recorder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch_size");
  }

  private record Asked(int epoch, long step, double loss) {}

  /**
   * Records what a run reports; asks it to stop once it has been asked a given number of times, and
   * prunes it after a given epoch.
   */
  private static final class Recorder implements TrainingListener {
    private final int stopAfter;
    private final int pruneAfter;
    private int stopAsked;
    private final List<Asked> asked = new ArrayList<>();
    private final List<String> metricNames = new ArrayList<>();
    private final Map<String, List<long[]>> steps = new LinkedHashMap<>();
    private final Map<String, List<Double>> metrics = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> evaluations = new LinkedHashMap<>();
    private final List<Path> checkpoints = new ArrayList<>();

    Recorder(int stopAfter) {
      this(stopAfter, Integer.MAX_VALUE);
    }

    Recorder(int stopAfter, int pruneAfter) {
      this.stopAfter = stopAfter;
      this.pruneAfter = pruneAfter;
    }

    @Override
    public void metric(String name, long step, double value) {
      if (!metricNames.contains(name)) {
        metricNames.add(name);
      }
      steps.computeIfAbsent(name, n -> new ArrayList<>()).add(new long[] {step});
      metrics.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    @Override
    public void evaluation(String phase, String task, String metric, double value) {
      evaluations
          .computeIfAbsent(phase, p -> new LinkedHashMap<>())
          .put(task + "/" + metric, value);
    }

    @Override
    public void checkpoint(int epoch, long step, Path file) {
      checkpoints.add(file);
    }

    @Override
    public boolean stopRequested() {
      return stopAsked++ >= stopAfter;
    }

    @Override
    public boolean continueAfterEpoch(int epoch, long step, double epochLoss) {
      asked.add(new Asked(epoch, step, epochLoss));
      return epoch < pruneAfter;
    }

    List<Double> values(String name) {
      return metrics.get(name);
    }

    List<Long> steps(String name) {
      return steps.get(name).stream().map(s -> s[0]).toList();
    }
  }
}
