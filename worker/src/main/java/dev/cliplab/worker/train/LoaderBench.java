package dev.cliplab.worker.train;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures whether the batch loader keeps up with training on a real corpus: the loader's images/s
 * alone with one and two threads, the training step's images/s on synthetic tensors, and one epoch
 * through the loader against one epoch on synthetic tensors of the same shapes.
 *
 * <p>Usage: {@code LoaderBench [corpus-folder [spec-json]]}, by default {@code data/demo} and the
 * demo spec (32 px, batch 128, augmentation on). It builds the training pixel cache when missing.
 * The epochs run in the order synthetic, real with one loader thread, real with two, synthetic
 * again, so that a slow drift of a shared machine shows as a gap between the synthetic epochs.
 */
public final class LoaderBench {

  private static final int WARMUP = 3;
  private static final int[] THREADS = {1, 2};

  private LoaderBench() {}

  /**
   * Runs the benchmark and prints its figures.
   *
   * @param args optional corpus folder and spec JSON
   * @throws IOException if the corpus cannot be read or its cache written
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "data/demo");
    TrainSpec spec = TrainSpec.fromJson(new JsonObject(args.length > 1 ? args[1] : "{}"));
    EngineSetup.engine(spec.seed());
    TrainingData data = TrainingData.load(spec, new DemoCorpus(root));
    int sourceSide = TrainingData.trainSourceSize(spec);
    try (PixelCache source = data.openTrainPixels(sourceSide)) {
      BatchMaker maker = BatchMaker.forSpec(spec, data.train(), source, data.vocabulary());
      System.out.printf(
          Locale.ROOT,
          "%d images, %d batches of %d per epoch, %d px crops from a %d px cache, augment=%b%n",
          data.train().size(),
          maker.batchesPerEpoch(),
          spec.batchSize(),
          spec.imageSize(),
          sourceSide,
          spec.augment());
      bench(spec, maker, data.vocabulary().size());
    }
  }

  private static void bench(TrainSpec spec, BatchMaker maker, int vocabulary) {
    int perEpoch = maker.batchesPerEpoch();
    int[] widths = new int[perEpoch];
    List<Loading> loading = new ArrayList<>();
    for (int threads : THREADS) {
      Loading run = loaderAlone(maker, threads, widths);
      loading.add(run);
      System.out.printf(
          Locale.ROOT,
          "(a) loader alone, %d thread(s): %.0f img/s, %.1f us of processor time per image%n",
          threads,
          run.imagesPerSecond(),
          run.cpuMicrosPerImage());
    }
    try (Rig rig = new Rig(spec, vocabulary, 5 * perEpoch)) {
      rig.warmUp(WARMUP);
      Epoch synthetic = rig.syntheticEpoch(widths, new Random(spec.seed()));
      List<Epoch> real = new ArrayList<>();
      for (int t = 0; t < THREADS.length; t++) {
        real.add(rig.realEpoch(maker, t + 1, THREADS[t]));
      }
      Epoch again = rig.syntheticEpoch(widths, new Random(spec.seed() + 1L));
      report(spec, loading, synthetic, again, real);
    }
  }

  /**
   * The loader on its own over one epoch.
   *
   * @param imagesPerSecond images delivered per second of wall time, after a short warm-up
   * @param cpuMicrosPerImage processor time of the loader threads per image
   */
  record Loading(double imagesPerSecond, double cpuMicrosPerImage) {}

  /** Runs the loader over one epoch with nobody training, noting each batch's caption width. */
  private static Loading loaderAlone(BatchMaker maker, int threads, int[] widths) {
    int perEpoch = maker.batchesPerEpoch();
    long started = 0;
    long cpuStarted = 0;
    try (BatchLoader loader = BatchLoader.start(maker, 1, 0, 0, threads)) {
      for (int i = 0; i < perEpoch; i++) {
        if (i == WARMUP) {
          started = System.nanoTime();
          cpuStarted = loader.cpuNanos();
        }
        try (LoadedBatch batch = loader.next()) {
          widths[i] = batch.tokens().width();
        }
      }
      double images = (double) (perEpoch - WARMUP) * maker.batchSize();
      // the threads may have made a batch or two beyond the last one taken: a slight overcount
      double cpu = (loader.cpuNanos() - cpuStarted) / 1e3 / images;
      return new Loading(images / ((System.nanoTime() - started) / 1e9), cpu);
    }
  }

  private static void report(
      TrainSpec spec, List<Loading> loading, Epoch synthetic, Epoch again, List<Epoch> real) {
    double trainRate = (synthetic.imagesPerSecond() + again.imagesPerSecond()) / 2;
    System.out.printf(
        Locale.ROOT,
        "(b) training step, synthetic tensors: %.0f img/s over the epochs (%.0f and %.0f),"
            + " median step %.0f img/s%n",
        trainRate,
        synthetic.imagesPerSecond(),
        again.imagesPerSecond(),
        spec.batchSize() / synthetic.medianStepSeconds());
    for (int t = 0; t < THREADS.length; t++) {
      System.out.printf(
          Locale.ROOT,
          "(c) loader with %d thread(s) / training: %.1fx (target >= 3)%n",
          THREADS[t],
          loading.get(t).imagesPerSecond() / trainRate);
    }
    double syntheticSeconds = (synthetic.seconds() + again.seconds()) / 2;
    for (int t = 0; t < THREADS.length; t++) {
      Epoch epoch = real.get(t);
      System.out.printf(
          Locale.ROOT,
          "(d) epoch of %d steps, real data through %d loader thread(s): %.1f s vs synthetic %.1f s"
              + " (%.1f and %.1f): %+.1f%% (target <= +10%%); loader processor time %.1f s,"
              + " %.1f%% of the epoch%n",
          epoch.steps(),
          THREADS[t],
          epoch.seconds(),
          syntheticSeconds,
          synthetic.seconds(),
          again.seconds(),
          100 * (epoch.seconds() / syntheticSeconds - 1),
          epoch.loaderCpuSeconds(),
          100 * epoch.loaderCpuSeconds() / epoch.seconds());
    }
  }

  /**
   * Timings of one epoch.
   *
   * @param steps the steps taken
   * @param images the images trained on
   * @param seconds the wall time of the epoch
   * @param medianStepSeconds the median step's wall time
   * @param loaderCpuSeconds the processor time of the loader's threads, 0 without a loader
   */
  record Epoch(
      int steps, long images, double seconds, double medianStepSeconds, double loaderCpuSeconds) {
    double imagesPerSecond() {
      return images / seconds;
    }
  }

  /** A model with its trainer and optimiser, trained at the spec's configuration. */
  private static final class Rig implements AutoCloseable {
    private final TrainSpec spec;
    private final Model model;
    private final Trainer trainer;
    private final StepRunner runner;
    private final Shape imageShape;
    private final float[] pixels;

    Rig(TrainSpec spec, int vocabulary, int totalSteps) {
      this.spec = spec;
      int b = spec.batchSize();
      imageShape = new Shape(b, 3, spec.imageSize(), spec.imageSize());
      pixels = new float[Math.toIntExact(imageShape.size())];
      Random random = new Random(spec.seed());
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextFloat() * 2 - 1;
      }
      ClipLiteModel network = ModelFactory.build(spec, vocabulary);
      TrainingOptimizer optimizer = OptimizerFactory.create(spec, network, totalSteps);
      MiObjective objective = MiObjective.create(spec.objective(), spec.negatives());
      model = Model.newInstance(TrainingRun.MODEL_NAME);
      model.setBlock(network);
      trainer = model.newTrainer(new DefaultTrainingConfig(objective).optOptimizer(optimizer));
      trainer.initialize(imageShape, new Shape(b, spec.maxTokens()));
      runner = new StepRunner(trainer, network, objective, optimizer, spec.gradClipNorm());
    }

    void warmUp(int steps) {
      TokenBatch tokens = randomTokens(new Random(0), spec.maxTokens());
      for (int i = 0; i < steps; i++) {
        runner.step(pixels, imageShape, tokens);
      }
    }

    /** An epoch of fixed random pixels and random captions as wide as the real batches'. */
    Epoch syntheticEpoch(int[] widths, Random random) {
      long[] nanos = new long[widths.length];
      long started = System.nanoTime();
      for (int i = 0; i < widths.length; i++) {
        TokenBatch tokens = randomTokens(random, widths[i]);
        long stepStarted = System.nanoTime();
        runner.step(pixels, imageShape, tokens);
        nanos[i] = System.nanoTime() - stepStarted;
      }
      return epoch(widths.length, started, nanos, 0);
    }

    /** An epoch through a loader started at the beginning of the given epoch. */
    Epoch realEpoch(BatchMaker maker, int epochIndex, int threads) {
      int perEpoch = maker.batchesPerEpoch();
      long[] nanos = new long[perEpoch];
      long started = System.nanoTime();
      try (BatchLoader loader = BatchLoader.start(maker, epochIndex + 1, epochIndex, 0, threads)) {
        for (int i = 0; i < perEpoch; i++) {
          long stepStarted = System.nanoTime();
          try (LoadedBatch batch = loader.next()) {
            runner.step(batch.pixels(), imageShape, batch.tokens());
          }
          nanos[i] = System.nanoTime() - stepStarted;
        }
        return epoch(perEpoch, started, nanos, loader.cpuNanos() / 1e9);
      }
    }

    private Epoch epoch(int steps, long started, long[] nanos, double loaderCpu) {
      double seconds = (System.nanoTime() - started) / 1e9;
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      double median = sorted[steps / 2] / 1e9;
      return new Epoch(steps, (long) steps * spec.batchSize(), seconds, median, loaderCpu);
    }

    /** BOS, then random word ids in every column. */
    private TokenBatch randomTokens(Random random, int width) {
      int b = spec.batchSize();
      int[] ids = new int[b * width];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i % width == 0 ? 2 : 3 + random.nextInt(50);
      }
      return new TokenBatch(ids, b, width);
    }

    @Override
    public void close() {
      trainer.close();
      model.close();
    }
  }
}
