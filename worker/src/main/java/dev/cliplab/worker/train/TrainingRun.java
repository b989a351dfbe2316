package dev.cliplab.worker.train;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.eval.EvalResult;
import dev.cliplab.worker.eval.HeldoutEvaluator;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.objective.MiObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one CLIP-Lite model on a corpus and evaluates it on the held-out style before and after.
 *
 * <p>The work directory receives the vocabulary, the spec and one checkpoint per epoch.
 */
public final class TrainingRun {

  /** The model name; checkpoints are {@code clip-lite-NNNN.params}, NNNN the epoch. */
  public static final String MODEL_NAME = "clip-lite";

  /** The vocabulary file in the work directory. */
  public static final String VOCABULARY_FILE = "vocabulary.txt";

  /** The spec file in the work directory. */
  public static final String SPEC_FILE = "spec.json";

  /** Metrics are reported every this many steps, and at the last step. */
  static final int METRIC_EVERY = 10;

  private static final int EVAL_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private final TrainSpec spec;
  private final Path workDir;
  private final TrainingListener listener;
  private final Model model;
  private final ClipLiteModel network;
  private final TrainingData data;
  private final PixelCache heldoutPixels;
  private final MiObjective objective;
  private final WarmupCosineSchedule schedule;
  private final DecoupledAdamW optimizer;
  private final BatchSampler sampler;
  private final HeldoutEvaluator evaluator;
  private Trainer trainer;
  private StepRunner stepRunner;
  private long step;
  private double lastLoss = Double.NaN;
  private long reportStarted;
  private long imagesSinceReport;

  private TrainingRun(
      TrainSpec spec,
      Path workDir,
      TrainingListener listener,
      Model model,
      TrainingData data,
      PixelCache trainPixels,
      PixelCache heldoutPixels) {
    this.spec = spec;
    this.workDir = workDir;
    this.listener = listener;
    this.model = model;
    this.network = (ClipLiteModel) model.getBlock();
    this.data = data;
    this.heldoutPixels = heldoutPixels;
    this.objective = MiObjective.forName(spec.objective());
    this.sampler =
        new BatchSampler(
            data.train(),
            trainPixels,
            data.vocabulary(),
            spec.maxTokens(),
            spec.batchSize(),
            new Random(spec.seed()));
    int totalSteps = spec.epochs() * sampler.batchesPerEpoch();
    this.schedule = new WarmupCosineSchedule(spec.learningRate(), spec.warmupSteps(), totalSteps);
    this.optimizer = new DecoupledAdamW(schedule, (float) spec.weightDecay());
    this.evaluator = new HeldoutEvaluator(network, data.vocabulary(), spec.maxTokens(), EVAL_BATCH);
  }

  /**
   * Runs the training: untrained evaluation, the epochs, final evaluation.
   *
   * @param spec the hyperparameters
   * @param corpus the corpus (training split, held-out split and its zero-shot task)
   * @param workDir where the vocabulary, spec and checkpoints go; created when missing
   * @param listener receives metrics, evaluations and checkpoints
   * @return how the run ended
   * @throws IOException if the corpus is not built or cannot be read, or a file cannot be written
   * @throws IllegalArgumentException if the batch is larger than the training set
   */
  public static TrainingOutcome run(
      TrainSpec spec, DemoCorpus corpus, Path workDir, TrainingListener listener)
      throws IOException {
    TrainingData data = TrainingData.load(spec, corpus);
    Files.createDirectories(workDir);
    data.vocabulary().save(workDir.resolve(VOCABULARY_FILE));
    Files.writeString(workDir.resolve(SPEC_FILE), spec.toJson().encodePrettily());
    EngineSetup.engine(spec.seed());

    try (PixelCache trainPixels = data.openTrainPixels(spec.imageSize());
        PixelCache heldoutPixels = data.openHeldoutPixels(spec.imageSize());
        Model model = Model.newInstance(MODEL_NAME)) {
      model.setBlock(ModelFactory.build(spec, data.vocabulary().size()));
      TrainingRun run =
          new TrainingRun(spec, workDir, listener, model, data, trainPixels, heldoutPixels);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(run.objective).optOptimizer(run.optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(
            new Shape(spec.batchSize(), 3, spec.imageSize(), spec.imageSize()),
            new Shape(spec.batchSize(), spec.maxTokens()));
        return run.execute(trainer);
      }
    }
  }

  private TrainingOutcome execute(Trainer trainer) throws IOException {
    this.trainer = trainer;
    this.stepRunner = new StepRunner(trainer, network, objective, optimizer);
    long started = System.nanoTime();
    LOG.info(
        "Training {} steps on {} images: {}",
        spec.epochs() * sampler.batchesPerEpoch(),
        data.train().size(),
        spec.toJson().encode());
    evaluate("untrained");
    for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
      TrainingOutcome early = trainEpoch(epoch == spec.epochs());
      if (early != null) {
        return early;
      }
      checkpoint(epoch);
    }
    evaluate("final");
    String message =
        String.format(
            Locale.ROOT,
            "trained %d steps in %.1f s, final loss %.4f",
            step,
            (System.nanoTime() - started) / 1e9,
            lastLoss);
    LOG.info("Run {}", message);
    return new TrainingOutcome(TrainingOutcome.SUCCEEDED, step, lastLoss, message);
  }

  /** Returns null when the epoch completed, or the outcome that ends the run early. */
  private TrainingOutcome trainEpoch(boolean lastEpoch) {
    sampler.shuffle();
    restartReportClock();
    int batches = sampler.batchesPerEpoch();
    for (int batch = 0; batch < batches; batch++) {
      if (listener.stopRequested()) {
        LOG.info("Stop requested before step {}", step + 1);
        return new TrainingOutcome(
            TrainingOutcome.STOPPED, step, lastLoss, "stopped on request after step " + step);
      }
      lastLoss = trainStep(batch);
      if (!Double.isFinite(lastLoss)) {
        String message = "loss became " + lastLoss + " at step " + step;
        LOG.warn("Run diverged: {}", message);
        return new TrainingOutcome(TrainingOutcome.DIVERGED, step, lastLoss, message);
      }
      report(lastEpoch && batch == batches - 1);
    }
    return null;
  }

  private double trainStep(int batch) {
    sampler.fill(batch);
    step++;
    int b = spec.batchSize();
    int side = spec.imageSize();
    double loss = stepRunner.step(sampler.pixels(), new Shape(b, 3, side, side), sampler.tokens());
    imagesSinceReport += b;
    return loss;
  }

  private void report(boolean lastStep) {
    if (step % METRIC_EVERY != 0 && !lastStep) {
      return;
    }
    double seconds = (System.nanoTime() - reportStarted) / 1e9;
    listener.metric("loss", step, lastLoss);
    listener.metric("mi_estimate", step, objective.miEstimate(lastLoss, spec.batchSize()));
    listener.metric("temperature", step, network.temperature());
    listener.metric("learning_rate", step, schedule.getNewValue(Math.toIntExact(step)));
    listener.metric("images_per_sec", step, imagesSinceReport / seconds);
    restartReportClock();
  }

  private void restartReportClock() {
    reportStarted = System.nanoTime();
    imagesSinceReport = 0;
  }

  private void evaluate(String phase) {
    long started = System.nanoTime();
    List<EvalResult> results =
        evaluator.evaluate(trainer.getManager(), heldoutPixels, data.heldout(), data.zeroShot());
    for (EvalResult result : results) {
      listener.evaluation(phase, result.task(), result.metric(), result.value());
    }
    LOG.info(
        "Evaluated {} model in {} ms: {}",
        phase,
        (System.nanoTime() - started) / 1_000_000,
        results);
  }

  private void checkpoint(int epoch) throws IOException {
    model.setProperty("Epoch", Integer.toString(epoch));
    model.setProperty("Step", Long.toString(step));
    model.save(workDir, MODEL_NAME);
    Path file = workDir.resolve(String.format(Locale.ROOT, "%s-%04d.params", MODEL_NAME, epoch));
    LOG.info("Epoch {} done at step {}, loss {}, checkpoint {}", epoch, step, lastLoss, file);
    listener.checkpoint(epoch, step, file);
  }
}
