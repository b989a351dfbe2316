package dev.cliplab.worker.queue;

import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.train.EngineInfo;
import dev.cliplab.worker.train.TrainSpec;
import dev.cliplab.worker.train.TrainingOutcome;
import dev.cliplab.worker.train.TrainingRun;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims trials from the queue one at a time and trains each on its device. Training runs on a
 * single-thread worker pool named after the device; the event loop only claims, renews the lease
 * and writes what training reports.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final Pool pool;
  private final WorkerOptions options;
  private final String holder;
  private TrialQueue queue;
  private AshaRungs rungs;
  private WorkerExecutor executor;
  private volatile boolean stopping;
  private JsonObject runtime = new JsonObject();
  private TrialRecorder current;
  private Future<Void> currentRun = Future.succeededFuture();

  public WorkerVerticle(Pool pool, WorkerOptions options) {
    this.pool = pool;
    this.options = options;
    this.holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + options.device();
  }

  @Override
  public Future<?> start() {
    queue = new TrialQueue(pool);
    rungs = new AshaRungs(pool);
    executor =
        vertx.createSharedWorkerExecutor(
            "cliplab-device-" + options.device().replace(':', '-'), 1, 30, TimeUnit.DAYS);
    // Loading libtorch takes seconds and a wrong device should fail the deployment, not a trial.
    return executor
        .executeBlocking(() -> EngineInfo.describe(options.device()))
        .onSuccess(
            info -> {
              runtime = info.toJson().put("worker", holder);
              LOG.info("Worker {} started: {}", holder, info);
              vertx.runOnContext(v -> poll());
            });
  }

  /** Stops the running trial at its next step and hands it back to the queue before closing. */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (current != null) {
      LOG.info("Worker {} stopping; handing back trial in progress", holder);
      current.requestStop();
    }
    return currentRun.transform(done -> executor.close());
  }

  private void poll() {
    if (stopping) {
      return;
    }
    queue
        .claim(holder, options.lease())
        .onSuccess(
            claimed -> {
              if (claimed.isPresent()) {
                currentRun = run(claimed.get());
                currentRun.onComplete(done -> poll());
              } else {
                vertx.setTimer(options.idlePoll().toMillis(), t -> poll());
              }
            })
        .onFailure(
            err -> {
              LOG.warn("Claiming a trial failed, retrying in {}", options.idlePoll(), err);
              vertx.setTimer(options.idlePoll().toMillis(), t -> poll());
            });
  }

  private Future<Void> run(ClaimedTrial trial) {
    LOG.info("Trial {} claimed (attempt {}) with {}", trial.id(), trial.attempt(), trial.params());
    TrialRecorder recorder = new TrialRecorder(queue, rungs, trial);
    current = recorder;
    queue
        .recordRuntime(trial, runtime)
        .onFailure(err -> LOG.warn("Recording the runtime of trial {} failed", trial.id(), err));
    long heartbeat = vertx.setPeriodic(options.lease().toMillis() / 3, t -> renew(trial, recorder));
    long flusher = vertx.setPeriodic(options.metricFlush().toMillis(), t -> recorder.flush());
    Path trialDir = options.workDir().resolve("trial-" + trial.id());
    return executor
        .executeBlocking(() -> train(trial, trialDir, recorder))
        .eventually(
            () -> {
              current = null;
              vertx.cancelTimer(heartbeat);
              vertx.cancelTimer(flusher);
              return recorder.flush();
            })
        .compose(
            outcome -> finish(trial, outcome.status(), outcome.message()),
            err -> {
              LOG.error("Trial {} failed", trial.id(), err);
              return finish(trial, "failed", describe(err));
            });
  }

  private TrainingOutcome train(ClaimedTrial trial, Path trialDir, TrialRecorder recorder)
      throws Exception {
    DemoCorpus corpus = new DemoCorpus(options.dataRoot());
    if (!corpus.isBuilt()) {
      throw new IllegalStateException(
          "no corpus at " + options.dataRoot() + "; build it with the fetch-data command first");
    }
    if (trial.isEvaluation()) {
      Path source = options.workDir().resolve("trial-" + trial.sourceTrialId());
      return EvaluationJob.run(trial.params(), source, corpus, recorder);
    }
    TrainSpec spec = TrainSpec.fromJson(trial.params());
    return TrainingRun.run(spec, corpus, trialDir, recorder, options.device());
  }

  private void renew(ClaimedTrial trial, TrialRecorder recorder) {
    queue
        .renew(trial, holder, options.lease())
        .onSuccess(
            held -> {
              if (!held) {
                LOG.warn("Trial {} lost its lease; stopping its training", trial.id());
                recorder.requestStop();
              }
            })
        .onFailure(err -> LOG.warn("Renewing the lease of trial {} failed", trial.id(), err));
  }

  private Future<Void> finish(ClaimedTrial trial, String status, String message) {
    // A run stopped because the lease was lost is left to the lease reaper; one stopped because
    // this worker is shutting down goes straight back to the queue.
    if ("stopped".equals(status)) {
      if (!stopping) {
        LOG.info("Trial {} stopped: {}", trial.id(), message);
        return Future.succeededFuture();
      }
      return queue
          .release(trial)
          .onSuccess(released -> LOG.info("Trial {} handed back to the queue", trial.id()))
          .onFailure(
              err ->
                  LOG.warn("Handing back trial {} failed; its lease will lapse", trial.id(), err))
          .mapEmpty();
    }
    // A pruned trial did nothing wrong: its rung says where it stopped.
    boolean clean = "succeeded".equals(status) || "pruned".equals(status);
    String error = clean ? null : message;
    return queue
        .finish(trial, status, error)
        .onSuccess(
            recorded -> {
              if (recorded) {
                LOG.info(
                    "Trial {} ended {}{}", trial.id(), status, error == null ? "" : ": " + error);
              } else {
                LOG.warn(
                    "Trial {} ended as {} but its claim was stale; not recorded",
                    trial.id(),
                    status);
              }
            })
        .mapEmpty();
  }

  private static String describe(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
