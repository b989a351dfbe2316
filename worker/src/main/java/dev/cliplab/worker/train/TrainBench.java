package dev.cliplab.worker.train;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Times training steps and evaluation forward passes of the model a spec describes, on synthetic
 * images and captions, so that a configuration can be sized to a time budget without a corpus.
 *
 * <p>Usage: {@code TrainBench [spec-json [steps [vocabulary-size]]]}, e.g. {@code TrainBench
 * '{"batch_size":128,"image_width":16}' 20 3000}; absent spec fields take their defaults. Prints
 * one line with the training and inference throughput in images per second.
 */
public final class TrainBench {

  private static final int WARMUP_STEPS = 3;

  private TrainBench() {}

  /**
   * Runs the benchmark.
   *
   * @param args optional spec JSON, number of timed steps (default 20) and vocabulary size (3000)
   */
  public static void main(String[] args) {
    TrainSpec spec = TrainSpec.fromJson(new JsonObject(args.length > 0 ? args[0] : "{}"));
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int vocabulary = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
    Result result = measure(spec, steps, vocabulary);
    System.out.printf(
        Locale.ROOT,
        "%s batch=%d size=%d width=%d encoder=%s text=%dx%d: train %.0f img/s (best step %.0f),"
            + " embed %.0f img/s%n",
        spec.objective(),
        spec.batchSize(),
        spec.imageSize(),
        spec.imageWidth(),
        spec.imageEncoder(),
        spec.textLayers(),
        spec.textHidden(),
        result.trainImagesPerSecond(),
        result.bestTrainImagesPerSecond(),
        result.embedImagesPerSecond());
  }

  /**
   * Training and inference throughput of one configuration.
   *
   * @param trainImagesPerSecond images per second through full training steps, at the median step
   * @param bestTrainImagesPerSecond the same at the fastest step, which other work on a shared
   *     machine disturbs least
   * @param embedImagesPerSecond images per second through the image tower in inference mode
   */
  public record Result(
      double trainImagesPerSecond, double bestTrainImagesPerSecond, double embedImagesPerSecond) {}

  /**
   * Times {@code steps} training steps after a short warm-up, then as many inference batches, and
   * converts the median time of each into a throughput.
   *
   * @param spec the configuration
   * @param steps timed steps
   * @param vocabularySize the vocabulary size to build the text encoder for
   * @return the throughput
   */
  public static Result measure(TrainSpec spec, int steps, int vocabularySize) {
    EngineSetup.engine(spec.seed());
    int b = spec.batchSize();
    int side = spec.imageSize();
    Shape imageShape = new Shape(b, 3, side, side);
    Random random = new Random(spec.seed());
    float[] pixels = new float[b * 3 * side * side];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat() * 2 - 1;
    }
    TokenBatch tokens = syntheticCaptions(random, b, spec.maxTokens(), vocabularySize);

    ClipLiteModel network = ModelFactory.build(spec, vocabularySize);
    MiObjective objective = MiObjective.forName(spec.objective());
    DecoupledAdamW optimizer =
        new DecoupledAdamW(
            new WarmupCosineSchedule(spec.learningRate(), 0, 1_000_000),
            (float) spec.weightDecay());
    try (Model model = Model.newInstance(TrainingRun.MODEL_NAME)) {
      model.setBlock(network);
      DefaultTrainingConfig config = new DefaultTrainingConfig(objective).optOptimizer(optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(imageShape, new Shape(b, spec.maxTokens()));
        StepRunner runner = new StepRunner(trainer, network, objective, optimizer);
        for (int i = 0; i < WARMUP_STEPS; i++) {
          runner.step(pixels, imageShape, tokens);
        }
        long[] nanos = new long[steps];
        for (int i = 0; i < steps; i++) {
          long started = System.nanoTime();
          runner.step(pixels, imageShape, tokens);
          nanos[i] = System.nanoTime() - started;
        }
        double train = b / (median(nanos) / 1e9);
        double best = b / (Arrays.stream(nanos).min().orElseThrow() / 1e9);
        double embed = embedThroughput(trainer.getManager(), network, pixels, imageShape, steps);
        return new Result(train, best, embed);
      }
    }
  }

  private static double embedThroughput(
      NDManager manager, ClipLiteModel network, float[] pixels, Shape shape, int batches) {
    long[] nanos = new long[batches];
    for (int i = 0; i < batches; i++) {
      long started = System.nanoTime();
      try (NDManager scope = manager.newSubManager()) {
        ParameterStore ps = new ParameterStore(scope, false);
        network
            .imageTower()
            .forward(ps, new NDList(scope.create(pixels, shape)), false)
            .head()
            .toFloatArray();
      }
      nanos[i] = System.nanoTime() - started;
    }
    return shape.get(0) / (median(nanos) / 1e9);
  }

  /** The median, which a burst of other work on a shared machine moves less than the mean. */
  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  }

  /** BOS, 3 to L−1 random word ids, then padding, like encoded captions of varied length. */
  private static TokenBatch syntheticCaptions(
      Random random, int batch, int length, int vocabulary) {
    int[][] rows = new int[batch][length];
    for (int[] row : rows) {
      row[0] = 2;
      int words = Math.min(length - 1, 3 + random.nextInt(Math.max(1, length - 3)));
      for (int w = 1; w <= words; w++) {
        row[w] = 3 + random.nextInt(vocabulary - 3);
      }
    }
    return TokenBatch.pack(rows);
  }
}
