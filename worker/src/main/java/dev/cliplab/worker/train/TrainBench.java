package dev.cliplab.worker.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures, on synthetic images and captions at the demo configuration, how a full training step
 * and each MI bound's loss alone grow with the batch, how close the step comes to the machine's
 * matrix-product throughput, and whether native memory stays flat over a long run.
 *
 * <p>Usage: {@code TrainBench [--batches 16,32,64,128,256] [--steps 3] [--spec JSON] [--vocabulary
 * 3000] [--memory-steps 0] [--memory-batch 128]}. For every batch size it prints, per bound (each
 * at its default negatives, and jsd at all): the median step time and images/s, the images/s of the
 * fastest step, that step's GFLOP/s (counted by {@link StepFlops}) and its share of the GFLOP/s of
 * a 2048² float32 matrix product measured in the same run, and the fastest forward + backward pass
 * of the loss alone on a (B, B) critic matrix, with its share of the fastest step. With {@code
 * --memory-steps N} (N ≥ 100) it then trains N steps at {@code --memory-batch} and prints the
 * resident set size and the direct buffers' share of it at step 100, at every quarter of the run
 * and at step N; run it with {@code -XX:MaxDirectMemorySize=64m} to see the trainer's own native
 * memory rather than batch buffers that are waiting for a garbage collection.
 *
 * <p>From the repository root, after {@code mvn -pl worker -am install -DskipTests}: {@code mvn -q
 * -pl worker dependency:build-classpath -Dmdep.includeScope=runtime
 * -Dmdep.outputFile=target/bench.classpath}, then {@code java
 * -Dlogback.configurationFile=orchestrator/src/main/resources/logback.xml -cp
 * worker/target/classes:$(cat worker/target/bench.classpath) dev.cliplab.worker.train.TrainBench}.
 */
public final class TrainBench {

  private static final int WARMUP = 2;
  private static final int LOSS_REPEATS = 50;
  private static final int MATMUL_SIDE = 2048;
  private static final int MATMUL_REPEATS = 5;
  private static final int MEMORY_BASELINE_STEP = 100;

  /** Critic scores at initialisation lie within ±1/0.07. */
  private static final float SCORE_RANGE = 14.3f;

  private TrainBench() {}

  /**
   * Runs the benchmark and prints its tables.
   *
   * @param args {@code --flag value} pairs, see the class comment
   */
  public static void main(String[] args) {
    BenchOptions options = BenchOptions.parse(args);
    EngineSetup.engine(options.spec().seed());
    double peak = matmulGflops();
    System.out.printf(Locale.ROOT, "matmul %1$dx%1$d float32: %2$.1f GFLOP/s%n", MATMUL_SIDE, peak);
    System.out.printf(
        Locale.ROOT,
        "%5s  %-22s %8s %7s %7s %8s %6s %8s %7s%n",
        "batch",
        "bound",
        "step ms",
        "img/s",
        "best",
        "GFLOP/s",
        "of mm",
        "loss us",
        "of step");
    for (int batch : options.batches()) {
      benchBatch(options, batch, peak);
    }
    if (options.memorySteps() > 0) {
      memoryRun(options);
    }
  }

  private static void benchBatch(BenchOptions options, int batch, double peak) {
    TrainSpec spec = options.spec().with(new JsonObject().put("batch_size", batch));
    double flops = StepFlops.trainingStep(spec, batch);
    try (Rig rig = new Rig(spec, options.vocabulary(), 1_000_000)) {
      for (int i = 0; i < WARMUP; i++) {
        rig.step(rig.runner(MiObjective.forName(spec.objective())));
      }
      for (MiObjective objective : bounds()) {
        StepRunner runner = rig.runner(objective);
        long[] nanos = new long[options.steps()];
        for (int i = 0; i < nanos.length; i++) {
          long started = System.nanoTime();
          rig.step(runner);
          nanos[i] = System.nanoTime() - started;
        }
        double step = median(nanos) / 1e9;
        double best = Arrays.stream(nanos).min().orElseThrow() / 1e9;
        double loss = lossSeconds(objective, batch);
        System.out.printf(
            Locale.ROOT,
            "%5d  %-22s %8.1f %7.0f %7.0f %8.2f %5.1f%% %8.1f %6.2f%%%n",
            batch,
            objective,
            step * 1e3,
            batch / step,
            batch / best,
            flops / best / 1e9,
            100 * flops / best / 1e9 / peak,
            loss * 1e6,
            100 * loss / best);
      }
    }
  }

  /** Every bound at its usual negatives, then CLIP-Lite's bound over all in-batch negatives. */
  private static List<MiObjective> bounds() {
    List<MiObjective> bounds = new ArrayList<>();
    MiObjective.NAMES.forEach(name -> bounds.add(MiObjective.forName(name)));
    bounds.add(MiObjective.create("jsd", MiObjective.ALL_NEGATIVES));
    return bounds;
  }

  /**
   * The fastest of a series of the loss's forward and backward passes on a random (B, B) float32
   * matrix: at well under a millisecond, the median of so short a call mostly measures other work
   * on a shared machine.
   */
  private static double lossSeconds(MiObjective objective, int batch) {
    Random random = new Random(batch);
    float[] scores = new float[batch * batch];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = (random.nextFloat() * 2 - 1) * SCORE_RANGE;
    }
    long[] nanos = new long[LOSS_REPEATS];
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int i = -WARMUP; i < LOSS_REPEATS; i++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray matrix = scope.create(scores, new Shape(batch, batch));
          matrix.setRequiresGradient(true);
          long started = System.nanoTime();
          try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
            collector.backward(objective.loss(matrix));
          }
          if (i >= 0) {
            nanos[i] = System.nanoTime() - started;
          }
        }
      }
    }
    return Arrays.stream(nanos).min().orElseThrow() / 1e9;
  }

  /** The best of a few 2048² float32 matrix products, as the machine's attainable GFLOP/s. */
  private static double matmulGflops() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Shape shape = new Shape(MATMUL_SIDE, MATMUL_SIDE);
      NDArray a = manager.randomUniform(-1, 1, shape);
      NDArray b = manager.randomUniform(-1, 1, shape);
      long best = Long.MAX_VALUE;
      for (int i = -1; i < MATMUL_REPEATS; i++) {
        try (NDManager scope = manager.newSubManager()) {
          long started = System.nanoTime();
          a.matMul(b).attach(scope);
          long elapsed = System.nanoTime() - started;
          best = i >= 0 ? Math.min(best, elapsed) : best;
        }
      }
      return 2.0 * Math.pow(MATMUL_SIDE, 3) / best;
    }
  }

  private static void memoryRun(BenchOptions options) {
    int steps = options.memorySteps();
    TrainSpec spec = options.spec().with(new JsonObject().put("batch_size", options.memoryBatch()));
    MiObjective objective = MiObjective.create(spec.objective(), spec.negatives());
    System.out.printf(
        Locale.ROOT,
        "memory run: %d steps of %s at batch %d%n",
        steps,
        objective,
        spec.batchSize());
    try (Rig rig = new Rig(spec, options.vocabulary(), steps)) {
      StepRunner runner = rig.runner(objective);
      long baseline = 0;
      for (int step = 1; step <= steps; step++) {
        double loss = rig.step(runner);
        if (step == MEMORY_BASELINE_STEP || step % (steps / 4) == 0 || step == steps) {
          long rss = residentKib();
          baseline = step == MEMORY_BASELINE_STEP ? rss : baseline;
          System.out.printf(
              Locale.ROOT,
              "step %5d: rss %7.1f MiB (%+.2f%% from step %d), direct buffers %6.1f MiB, loss %.4f%n",
              step,
              rss / 1024.0,
              100.0 * (rss - baseline) / baseline,
              MEMORY_BASELINE_STEP,
              directBufferBytes() / (1024.0 * 1024.0),
              loss);
        }
      }
    }
  }

  /** VmRSS of this process, in KiB, from the Linux proc file system. */
  private static long residentKib() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no VmRSS line in /proc/self/status"));
    } catch (IOException e) {
      throw new UncheckedIOException("the memory run reads /proc/self/status (Linux only)", e);
    }
  }

  /**
   * Native memory held by direct byte buffers. DJL copies Java arrays into direct buffers on their
   * way to the engine, and only a garbage collection frees those, so up to -XX:MaxDirectMemorySize
   * (by default the maximum heap) of them can pile up in the resident set between collections.
   */
  private static long directBufferBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> "direct".equals(pool.getName()))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  /** The median, which a burst of other work on a shared machine moves less than the mean. */
  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
  }

  /** A model, its trainer and optimiser, and one fixed synthetic batch to train on. */
  private static final class Rig implements AutoCloseable {
    private final TrainSpec spec;
    private final Model model;
    private final ClipLiteModel network;
    private final TrainingOptimizer optimizer;
    private final Trainer trainer;
    private final Shape imageShape;
    private final float[] pixels;
    private final TokenBatch tokens;

    Rig(TrainSpec spec, int vocabulary, int totalSteps) {
      this.spec = spec;
      int b = spec.batchSize();
      imageShape = new Shape(b, 3, spec.imageSize(), spec.imageSize());
      Random random = new Random(spec.seed());
      pixels = new float[Math.toIntExact(imageShape.size())];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat() * 2 - 1;
      }
      tokens = syntheticCaptions(random, b, spec.maxTokens(), vocabulary);
      network = ModelFactory.build(spec, vocabulary);
      optimizer = OptimizerFactory.create(spec, network, totalSteps);
      model = Model.newInstance(TrainingRun.MODEL_NAME);
      model.setBlock(network);
      MiObjective loss = MiObjective.create(spec.objective(), spec.negatives());
      trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
      trainer.initialize(imageShape, new Shape(b, spec.maxTokens()));
    }

    StepRunner runner(MiObjective objective) {
      return new StepRunner(trainer, network, objective, optimizer, spec.gradClipNorm());
    }

    double step(StepRunner runner) {
      return runner.step(pixels, imageShape, tokens);
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
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
}
