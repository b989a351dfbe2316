package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the whole suite on stored checkpoints of a tiny network over the fixture's sets. */
class EvaluationSuiteTest {

  @TempDir static Path scratch;

  private static DemoCorpus corpus;
  private static Path trial;
  private static Path pixels;
  private static SuiteReport first;

  @BeforeAll
  static void evaluateOnce() throws IOException {
    corpus = TransferFixture.corpusWithTransfers(scratch.resolve("corpus"));
    trial = scratch.resolve("trial");
    TransferFixture.saveCheckpoint(trial, 1, 1);
    TransferFixture.saveCheckpoint(trial, 2, 2);
    pixels = scratch.resolve("pixels");
    first = evaluate(OptionalInt.of(1), true);
  }

  private static SuiteReport evaluate(OptionalInt epoch, boolean cached) throws IOException {
    try (StoredCheckpoint checkpoint =
            StoredCheckpoint.open(trial, epoch, TransferFixture.FACTORY);
        NDManager manager = NDManager.newBaseManager()) {
      EvalModel model = checkpoint.model();
      if (!cached) {
        model = withFeatureDir(model, model.checkpointId(), Optional.empty());
      }
      return suite().run(manager, model, corpus, EvaluationSuite.TASKS);
    }
  }

  private static EvaluationSuite suite() {
    return new EvaluationSuite(SuiteOptions.DEFAULTS.withPixelCacheDir(pixels));
  }

  private static EvalModel withFeatureDir(EvalModel model, String id, Optional<Path> dir) {
    return new EvalModel(
        model.network(), model.vocabulary(), model.maxTokens(), model.imageSize(), id, dir);
  }

  @Test
  @DisplayName("every task runs and reports its metrics by name, each a fraction")
  void metricsByName() {
    assertThat(first.skipped()).isEmpty();
    List<String> names = first.results().stream().map(r -> r.task() + "/" + r.metric()).toList();
    assertThat(names)
        .containsExactly(
            "voc_emoji/map",
            "voc_emoji/ap_animal",
            "voc_emoji/ap_flag",
            "voc_emoji/ap_food",
            "fashion_mnist_linear/top1",
            "fashion_mnist_linear/top5",
            "fashion_mnist_zeroshot/top1",
            "zeroshot_emoji_groups/top1",
            "retrieval_heldout/i2t_r1",
            "retrieval_heldout/i2t_r5",
            "retrieval_heldout/i2t_r10",
            "retrieval_heldout/t2i_r1",
            "retrieval_heldout/t2i_r5",
            "retrieval_heldout/t2i_r10",
            "retrieval_heldout/mean_recall");
    assertThat(first.results()).allSatisfy(r -> assertThat(r.value()).isBetween(0.0, 1.0));
  }

  @Test
  @DisplayName("the VOC task reports mAP as the mean of its APs, with each class's chosen C")
  void vocDetails() throws IOException {
    TaskReport voc = first.tasks().get(0);
    double mean =
        voc.metrics().stream()
            .filter(m -> m.metric().startsWith("ap_"))
            .mapToDouble(EvalResult::value)
            .average()
            .orElseThrow();
    assertThat(voc.metrics().get(0).value()).isCloseTo(mean, within(1e-12));
    assertThat(voc.details().getJsonArray("classes")).hasSize(3);
    for (int c = 0; c < 3; c++) {
      var described = voc.details().getJsonArray("classes").getJsonObject(c);
      assertThat(described.getString("class")).isEqualTo(TransferFixture.VOC_CLASSES.get(c));
      assertThat(Voc07Svm.COSTS).contains(described.getDouble("c"));
    }
    // the held-out images alternate between trainval and test
    int heldout = CocoCaptions.read(corpus.heldoutAnnotations()).size();
    assertThat(voc.details().getInteger("trainval_images")).isEqualTo((heldout + 1) / 2);
    assertThat(voc.details().getInteger("test_images")).isEqualTo(heldout / 2);
  }

  @Test
  @DisplayName("evaluating again reads the cached features and gives the same numbers")
  void cachedAgain() throws IOException {
    try (Stream<Path> files = Files.list(trial.resolve(StoredCheckpoint.FEATURE_DIR))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "clip-lite-0001-voc-emoji-trainval-16px.f32",
              "clip-lite-0001-voc-emoji-test-16px.f32",
              "clip-lite-0001-fashion-mnist-train-16px.f32",
              "clip-lite-0001-fashion-mnist-test-16px.f32",
              "clip-lite-0001-heldout-16px.f32");
    }
    Path movedPixels = scratch.resolve("pixels-moved");
    Files.move(pixels, movedPixels);
    try {
      SuiteReport again = evaluate(OptionalInt.of(1), true);
      assertThat(again.results()).isEqualTo(first.results());
      // no image was decoded or run through the network: no pixel cache was made
      assertThat(pixels).doesNotExist();
    } finally {
      deleteTree(pixels);
      Files.move(movedPixels, pixels);
    }
  }

  @Test
  @DisplayName("a checkpoint loaded again and evaluated without caches gives the same numbers")
  void reloadedWithoutCache() throws IOException {
    assertThat(evaluate(OptionalInt.of(1), false).results()).isEqualTo(first.results());
  }

  @Test
  @DisplayName("features cached for other weights under the same name are not reused")
  void otherWeightsNeverReuse(@TempDir Path features) throws IOException {
    try (StoredCheckpoint one =
            StoredCheckpoint.open(trial, OptionalInt.of(1), TransferFixture.FACTORY);
        StoredCheckpoint two =
            StoredCheckpoint.open(trial, OptionalInt.of(2), TransferFixture.FACTORY);
        NDManager manager = NDManager.newBaseManager()) {
      List<String> tasks = List.of(EvaluationSuite.RETRIEVAL_HELDOUT);
      EvalModel oneCached = withFeatureDir(one.model(), "same", Optional.of(features));
      EvalModel twoCached = withFeatureDir(two.model(), "same", Optional.of(features));
      EvalModel twoFresh = withFeatureDir(two.model(), "same", Optional.empty());
      suite().run(manager, oneCached, corpus, tasks);
      Path file = features.resolve("same-heldout-16px.f32");
      byte[] ofOne = Files.readAllBytes(file);
      SuiteReport second = suite().run(manager, twoCached, corpus, tasks);
      assertThat(second.results())
          .isEqualTo(suite().run(manager, twoFresh, corpus, tasks).results());
      assertThat(Files.readAllBytes(file)).isNotEqualTo(ofOne);
    }
  }

  @Test
  @DisplayName("tasks whose data the corpus lacks are skipped with the reason; the others run")
  void skipsAbsentData(@TempDir Path root) throws IOException {
    DemoCorpus plain = TransferFixture.copyCorpus(root.resolve("corpus"));
    try (StoredCheckpoint checkpoint =
            StoredCheckpoint.open(trial, OptionalInt.of(1), TransferFixture.FACTORY);
        NDManager manager = NDManager.newBaseManager()) {
      EvalModel model = withFeatureDir(checkpoint.model(), "plain", Optional.empty());
      SuiteReport report = suite().run(manager, model, plain, EvaluationSuite.TASKS);
      assertThat(report.skipped())
          .containsOnlyKeys(
              EvaluationSuite.VOC_EMOJI,
              EvaluationSuite.FASHION_MNIST_LINEAR,
              EvaluationSuite.FASHION_MNIST_ZEROSHOT);
      assertThat(report.skipped().get(EvaluationSuite.VOC_EMOJI))
          .contains(plain.vocEmoji().toString());
      assertThat(report.results().stream().map(EvalResult::task).distinct())
          .containsExactly(
              EvaluationSuite.ZEROSHOT_EMOJI_GROUPS, EvaluationSuite.RETRIEVAL_HELDOUT);
      // the same model on the same held-out images gives the same held-out numbers
      assertThat(report.results()).isEqualTo(first.results().subList(7, 15));
      assertThat(
              report
                  .toJson()
                  .getJsonObject(EvaluationSuite.FASHION_MNIST_LINEAR)
                  .getString("skipped"))
          .contains(plain.fashionMnist().toString());
    }
  }

  @Test
  @DisplayName("an unknown or repeated task name is refused, naming it")
  void unknownTask() {
    assertThatThrownBy(() -> suite().run(null, null, corpus, List.of("imagenet")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown evaluation task 'imagenet'");
    List<String> twice = List.of(EvaluationSuite.VOC_EMOJI, EvaluationSuite.VOC_EMOJI);
    assertThatThrownBy(() -> suite().run(null, null, corpus, twice))
        .hasMessageContaining("'voc_emoji' is asked for twice");
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
