package dev.cliplab.worker.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.eval.EvalModel;
import dev.cliplab.worker.eval.EvaluationSuite;
import dev.cliplab.worker.eval.StoredCheckpoint;
import dev.cliplab.worker.eval.SuiteOptions;
import dev.cliplab.worker.eval.SuiteReport;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one CLIP-Lite model on a corpus and evaluates it on the held-out style before and after.
 *
 * <p>The work directory receives the vocabulary, the spec, the parameters at each epoch's end
 * ({@code clip-lite-NNNN.params}) and resumable checkpoints ({@link Checkpoints}) every {@code
 * checkpoint_every} steps, at each epoch's end and when a stop is requested. A run started on a
 * work directory that holds a checkpoint continues from it: same batches, same random draws, the
 * same loss curve, and no step reported twice.
 *
 * <p>At each epoch's end, once its checkpoint is written, the listener may end the run ({@link
 * TrainingListener#continueAfterEpoch}); it ends {@link TrainingOutcome#PRUNED}, without the final
 * evaluation.
 */
public final class TrainingRun {

  /** The model name; checkpoints are {@code clip-lite-NNNN.params}, NNNN the epoch. */
  public static final String MODEL_NAME = "clip-lite";

  /** The vocabulary file in the work directory. */
  public static final String VOCABULARY_FILE = "vocabulary.txt";

  /** The spec file in the work directory. */
  public static final String SPEC_FILE = "spec.json";

  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

  private final TrainSpec spec;
  private final Path workDir;
  private final TrainingListener listener;
  private final Model model;
  private final ClipLiteModel network;
  private final TrainingData data;
  private final MiObjective objective;
  private final TrainingOptimizer optimizer;
  private final BatchMaker batches;
  private final EvaluationSuite suite = new EvaluationSuite(SuiteOptions.DEFAULTS);
  private final MetricReporter reporter;
  private final Checkpoints checkpoints;
  private Trainer trainer;
  private StepRunner stepRunner;
  private long step;
  private double lastLoss = Double.NaN;
  private long lastFiniteStep;
  private double lastFiniteLoss = Double.NaN;

  private TrainingRun(
      TrainSpec spec,
      Path workDir,
      TrainingListener listener,
      Model model,
      TrainingData data,
      PixelCache trainPixels) {
    this.spec = spec;
    this.workDir = workDir;
    this.listener = listener;
    this.model = model;
    this.network = (ClipLiteModel) model.getBlock();
    this.data = data;
    this.objective = MiObjective.create(spec.objective(), spec.negatives());
    this.batches = BatchMaker.forSpec(spec, data.train(), trainPixels, data.vocabulary());
    int totalSteps = spec.epochs() * batches.batchesPerEpoch();
    WarmupCosineSchedule schedule =
        new WarmupCosineSchedule(spec.learningRate(), spec.warmupSteps(), totalSteps);
    this.optimizer = OptimizerFactory.create(spec, network, totalSteps);
    this.reporter = new MetricReporter(listener, objective, network, schedule, spec.batchSize());
    this.checkpoints = new Checkpoints(workDir, spec);
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
    return run(spec, corpus, workDir, listener, "cpu");
  }

  /**
   * Runs the training on a device: untrained evaluation, the epochs, final evaluation; or, when the
   * work directory holds a checkpoint, the rest of the run from there.
   *
   * @param spec the hyperparameters
   * @param corpus the corpus (training split, held-out split and its zero-shot task)
   * @param workDir where the vocabulary, spec and checkpoints go; created when missing
   * @param listener receives metrics, evaluations and checkpoints
   * @param device {@code cpu} or {@code gpu:N}
   * @return how the run ended
   * @throws IOException if the corpus is not built or cannot be read, a file cannot be written, or
   *     the work directory's checkpoint was written for other parameters
   * @throws IllegalArgumentException if the batch is larger than the training set, or the device is
   *     not available
   */
  public static TrainingOutcome run(
      TrainSpec spec, DemoCorpus corpus, Path workDir, TrainingListener listener, String device)
      throws IOException {
    TrainingData data = TrainingData.load(spec, corpus);
    // Refuses a work directory holding another spec's checkpoints before touching any file there.
    new Checkpoints(workDir, spec).latest();
    Files.createDirectories(workDir);
    data.vocabulary().save(workDir.resolve(VOCABULARY_FILE));
    Files.writeString(workDir.resolve(SPEC_FILE), spec.toJson().encodePrettily());
    Device target = EngineInfo.device(device, EngineSetup.engine(spec.seed()));

    try (PixelCache trainPixels = data.openTrainPixels(TrainingData.trainSourceSize(spec));
        Model model = Model.newInstance(MODEL_NAME, target)) {
      model.setBlock(ModelFactory.build(spec, data.vocabulary().size()));
      TrainingRun run = new TrainingRun(spec, workDir, listener, model, data, trainPixels);
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
    this.stepRunner =
        new StepRunner(trainer, network, objective, optimizer, spec.gradClipNorm())
            .withPrior(spec.priorWeight());
    long started = System.nanoTime();
    int perEpoch = batches.batchesPerEpoch();
    LOG.info(
        "Training {} steps on {} images: {}",
        (long) spec.epochs() * perEpoch,
        data.train().size(),
        spec.toJson().encode());
    Optional<Checkpoints.Position> resumed = checkpoints.latest();
    int startEpoch = 0;
    int startBatch = 0;
    if (resumed.isPresent()) {
      Checkpoints.Position at = resumed.get();
      Checkpoints.restore(
          at,
          model,
          ModelFactory.build(spec, data.vocabulary().size()),
          optimizer,
          trainer.getManager());
      step = at.step();
      lastLoss = at.loss();
      reporter.resume(at.epochLoss());
      startEpoch = at.epoch();
      startBatch = at.batch();
      LOG.info(
          "Resuming from {} at step {} (epoch {}, batch {})",
          at.dir(),
          step,
          startEpoch + 1,
          startBatch);
    } else {
      evaluate("untrained");
    }
    long firstStep = step;
    TrainingOutcome early = resumed.map(this::askAgain).orElse(null);
    if (early == null) {
      early = train(startEpoch, startBatch);
    }
    if (early != null) {
      return early;
    }
    evaluate("final");
    String message =
        String.format(
            Locale.ROOT,
            "trained %d steps (%d in this session, %.1f s), final loss %.4f",
            step,
            step - firstStep,
            (System.nanoTime() - started) / 1e9,
            lastLoss);
    LOG.info("Run {}", message);
    return new TrainingOutcome(TrainingOutcome.SUCCEEDED, step, lastLoss, message);
  }

  /** Returns null when every epoch completed, or the outcome that ends the run early. */
  private TrainingOutcome train(int startEpoch, int startBatch) throws IOException {
    if (startEpoch >= spec.epochs()) {
      return null;
    }
    int perEpoch = batches.batchesPerEpoch();
    reporter.restartClock();
    try (BatchLoader loader =
        BatchLoader.start(
            batches, spec.epochs(), startEpoch, startBatch, BatchLoader.DEFAULT_THREADS)) {
      for (int epoch = startEpoch; epoch < spec.epochs(); epoch++) {
        boolean lastEpoch = epoch == spec.epochs() - 1;
        for (int batch = epoch == startEpoch ? startBatch : 0; batch < perEpoch; batch++) {
          if (listener.stopRequested()) {
            return stopped(epoch, batch);
          }
          lastLoss = trainStep(loader);
          if (!Double.isFinite(lastLoss)) {
            return diverged();
          }
          reporter.stepDone(step, stepRunner, lastLoss, lastEpoch && batch == perEpoch - 1);
          boolean due = spec.checkpointEvery() > 0 && step % spec.checkpointEvery() == 0;
          if (due && batch < perEpoch - 1) {
            checkpoints.save(
                model, optimizer, step, epoch, batch + 1, lastLoss, reporter.epochLoss());
          }
        }
        if (!epochDone(epoch + 1)) {
          return pruned(epoch + 1);
        }
      }
    }
    return null;
  }

  private double trainStep(BatchLoader loader) {
    int b = spec.batchSize();
    int side = spec.imageSize();
    try (LoadedBatch batch = loader.next()) {
      step++;
      // Random draws inside the network (the prior's noise) follow the step, not the history of
      // the process, so a resumed run draws what an uninterrupted one would.
      Engine.getInstance().setRandomSeed((int) (spec.seed() * 1_000_003L + step));
      double loss = stepRunner.step(batch.pixels(), new Shape(b, 3, side, side), batch.tokens());
      if (Double.isFinite(loss)) {
        lastFiniteStep = step;
        lastFiniteLoss = loss;
      }
      return loss;
    }
  }

  private TrainingOutcome stopped(int epoch, int batch) throws IOException {
    LOG.info("Stop requested before step {}", step + 1);
    if (step > 0) {
      checkpoints.save(model, optimizer, step, epoch, batch, lastLoss, reporter.epochLoss());
    }
    return new TrainingOutcome(
        TrainingOutcome.STOPPED, step, lastLoss, "stopped on request after step " + step);
  }

  /**
   * Asks the listener again about the epoch a checkpoint closed, since the run may have stopped
   * before its answer was acted on; returns null to go on, or the outcome that ends the run.
   */
  private TrainingOutcome askAgain(Checkpoints.Position at) {
    double mean = at.epochLoss().lastMean();
    if (at.batch() != 0 || at.epoch() == 0 || Double.isNaN(mean)) {
      return null;
    }
    return listener.continueAfterEpoch(at.epoch(), step, mean) ? null : pruned(at.epoch());
  }

  private TrainingOutcome pruned(int epoch) {
    String message =
        String.format(
            Locale.ROOT,
            "pruned after epoch %d at step %d, epoch loss %.6g",
            epoch,
            step,
            reporter.epochLoss().lastMean());
    LOG.info("Run {}", message);
    return new TrainingOutcome(TrainingOutcome.PRUNED, step, lastLoss, message);
  }

  private TrainingOutcome diverged() {
    String message =
        String.format(
            Locale.ROOT,
            "loss became %s at step %d; last finite loss %.6g at step %d, temperature %.6g",
            lastLoss,
            step,
            lastFiniteLoss,
            lastFiniteStep,
            network.temperature());
    LOG.warn("Run diverged: {}", message);
    return new TrainingOutcome(TrainingOutcome.DIVERGED, step, lastLoss, message);
  }

  private void evaluate(String phase) throws IOException {
    long started = System.nanoTime();
    String weights =
        "untrained".equals(phase) ? phase : String.format(Locale.ROOT, "step-%d", step);
    EvalModel evaluated =
        new EvalModel(
            network,
            data.vocabulary(),
            spec.maxTokens(),
            spec.imageSize(),
            weights,
            Optional.of(workDir.resolve(StoredCheckpoint.FEATURE_DIR)));
    SuiteReport report =
        suite.run(trainer.getManager(), evaluated, data.corpus(), spec.evaluations());
    report.results().forEach(r -> listener.evaluation(phase, r.task(), r.metric(), r.value()));
    report.skipped().forEach((task, why) -> LOG.warn("Skipped evaluation {}: {}", task, why));
    // Per-class AP, the SVMs' chosen costs and the recipes, for whoever wants more than metrics.
    JsonObject details = report.toJson();
    listener.evaluationDetails(phase, details);
    Files.writeString(workDir.resolve("evaluation-" + phase + ".json"), details.encodePrettily());
    LOG.info(
        "Evaluated {} model in {} ms: {}",
        phase,
        (System.nanoTime() - started) / 1_000_000,
        report.results());
    reporter.restartClock();
  }

  /** Reports the epoch's loss, writes its checkpoint and asks whether to go on. */
  private boolean epochDone(int epoch) throws IOException {
    double epochLoss = reporter.epochDone(step);
    model.setProperty("Epoch", Integer.toString(epoch));
    model.setProperty("Step", Long.toString(step));
    model.save(workDir, MODEL_NAME);
    Path file = workDir.resolve(String.format(Locale.ROOT, "%s-%04d.params", MODEL_NAME, epoch));
    checkpoints.save(model, optimizer, step, epoch, 0, lastLoss, reporter.epochLoss());
    LOG.info(
        "Epoch {} done at step {}, loss {}, epoch loss {}, checkpoint {}",
        epoch,
        step,
        lastLoss,
        epochLoss,
        file);
    listener.checkpoint(epoch, step, file);
    boolean goOn = listener.continueAfterEpoch(epoch, step, epochLoss);
    reporter.restartClock();
    return goOn;
  }
}
