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
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims trials from the queue one at a time and trains each on its device. Training runs on a
 * single-thread worker pool named after the device; the event loop only claims, renews the lease,
 * heartbeats and writes what training reports. An idle worker claims as soon as the database
 * announces new work, and polls slowly in case a notification is missed; a running trial that is
 * cancelled stops at its next step.
 */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  /** Registry outcome of a trial handed back or whose claim went stale: neither counts. */
  private static final String NOT_COUNTED = "not counted";

  /** How a trial ended, as the registry counts it, and the error recorded with it. */
  private record Ended(String status, String error) {}

  private final Pool pool;
  private final PgConnectOptions connect;
  private final WorkerOptions options;
  private final String holder;
  private TrialQueue queue;
  private WorkerRegistry registry;
  private QueueSignals signals;
  private AshaRungs rungs;
  private WorkerExecutor executor;
  private volatile boolean stopping;
  private boolean claiming;
  private boolean claimAgain;
  private boolean quarantined;
  private long pollTimer = -1;
  private long heartbeatTimer = -1;
  private JsonObject runtime = new JsonObject();
  private ClaimedTrial currentTrial;
  private TrialRecorder current;
  private Future<Void> currentRun = Future.succeededFuture();

  /** A worker that only polls, every {@link WorkerOptions#idlePoll()}. */
  public WorkerVerticle(Pool pool, WorkerOptions options) {
    this(pool, null, options);
  }

  /**
   * A worker that listens for notifications on its own connection to {@code connect}.
   *
   * @param pool the database, for claims and writes
   * @param connect where to {@code LISTEN}; null to rely on polling alone
   * @param options the device, folders and timing
   */
  public WorkerVerticle(Pool pool, PgConnectOptions connect, WorkerOptions options) {
    this.pool = pool;
    this.connect = connect;
    this.options = options;
    this.holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + options.device();
  }

  /** The name this worker takes leases under, and its id in {@code workers}. */
  public String holder() {
    return holder;
  }

  @Override
  public Future<?> start() {
    queue = new TrialQueue(pool);
    registry = new WorkerRegistry(pool, holder);
    rungs = new AshaRungs(pool);
    executor =
        vertx.createSharedWorkerExecutor(
            "cliplab-device-" + options.device().replace(':', '-'), 1, 30, TimeUnit.DAYS);
    // Loading libtorch takes seconds and a wrong device should fail the deployment, not a trial.
    return executor
        .executeBlocking(() -> EngineInfo.describe(options.device()))
        .compose(
            info -> {
              runtime = info.toJson().put("worker", holder);
              LOG.info("Worker {} started: {}", holder, info);
              return register();
            })
        .compose(registered -> listen())
        .onSuccess(
            listening -> {
              heartbeatTimer = vertx.setPeriodic(options.heartbeat().toMillis(), t -> heartbeat());
              wake();
            });
  }

  private Future<Void> register() {
    String host = holder.substring(holder.indexOf('@') + 1, holder.lastIndexOf('/'));
    return registry.register(host, options.device(), runtime, options.heartbeat().toMillis());
  }

  /** Subscribes to notifications; without them the worker still works, by polling. */
  private Future<Void> listen() {
    if (connect == null) {
      return Future.succeededFuture();
    }
    signals = new QueueSignals(vertx, connect, this::wake, this::onEvent);
    return signals
        .start()
        .recover(
            err -> {
              LOG.warn(
                  "Worker {} cannot listen for notifications; polling every {} instead",
                  holder,
                  options.idlePoll(),
                  err);
              return Future.succeededFuture();
            });
  }

  /** Stops the running trial at its next step and hands it back to the queue before closing. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(heartbeatTimer);
    if (current != null) {
      LOG.info("Worker {} stopping; handing back trial in progress", holder);
      current.requestStop();
    }
    return currentRun
        .transform(done -> registry.stopped())
        .onSuccess(v -> LOG.info("Worker {} stopped", holder))
        .transform(done -> signals == null ? Future.succeededFuture() : signals.close())
        .transform(done -> executor.close());
  }

  /** Claims now unless busy, already claiming, quarantined or stopping. */
  private void wake() {
    if (stopping || quarantined || current != null) {
      return;
    }
    if (claiming) {
      // A claim in flight may have looked before this work was committed: look once more after it.
      claimAgain = true;
      return;
    }
    vertx.cancelTimer(pollTimer);
    claiming = true;
    claimAgain = false;
    queue
        .claim(holder, options.lease())
        .onComplete(
            claimed -> {
              claiming = false;
              if (claimed.failed()) {
                LOG.warn(
                    "Claiming a trial failed, retrying in {}", options.idlePoll(), claimed.cause());
                schedulePoll();
              } else if (claimed.result().isPresent()) {
                currentRun = run(claimed.result().get()).onComplete(done -> wake());
              } else if (claimAgain) {
                wake();
              } else {
                schedulePoll();
              }
            });
  }

  private void schedulePoll() {
    if (!stopping) {
      pollTimer = vertx.setTimer(options.idlePoll().toMillis(), t -> wake());
    }
  }

  private void onEvent(JsonObject event) {
    String type = event.getString("type");
    if ("trial".equals(type) && currentTrial != null) {
      boolean ours = Long.valueOf(currentTrial.id()).equals(event.getLong("trial_id"));
      boolean stillOurs =
          "running".equals(event.getString("status"))
              && Integer.valueOf(currentTrial.attempt()).equals(event.getInteger("attempt"));
      if (ours && !stillOurs && current != null) {
        LOG.info(
            "Trial {} is now {}; stopping its training",
            currentTrial.id(),
            event.getString("status"));
        current.requestStop();
      }
    } else if ("worker".equals(type)
        && holder.equals(event.getString("worker_id"))
        && quarantined) {
      // A late notification of this worker's own earlier state must not lift a quarantine: the
      // heartbeat reads the row as it is now.
      heartbeat();
    }
  }

  private void heartbeat() {
    registry
        .heartbeat()
        .onSuccess(
            status -> {
              if (status.isEmpty()) {
                LOG.warn("Worker {} found its registry row gone; registering again", holder);
                quarantined = false;
                register()
                    .onSuccess(v -> busyAgain())
                    .onFailure(err -> LOG.warn("Registering worker {} failed", holder, err));
              } else if (quarantined && !WorkerRegistry.QUARANTINED.equals(status.get())) {
                lift();
              }
            })
        .onFailure(err -> LOG.warn("Heartbeat of worker {} failed; trying again", holder, err));
  }

  private void busyAgain() {
    if (currentTrial != null) {
      registry.busyWith(currentTrial.id());
    }
  }

  private void lift() {
    quarantined = false;
    LOG.info("Worker {} released from quarantine; claiming again", holder);
    wake();
  }

  private Future<Void> run(ClaimedTrial trial) {
    if (stopping) {
      return queue.release(trial).mapEmpty();
    }
    LOG.info("Trial {} claimed (attempt {}) with {}", trial.id(), trial.attempt(), trial.params());
    TrialRecorder recorder = new TrialRecorder(queue, rungs, trial);
    current = recorder;
    currentTrial = trial;
    queue
        .recordRuntime(trial, runtime)
        .onFailure(err -> LOG.warn("Recording the runtime of trial {} failed", trial.id(), err));
    long renewal = vertx.setPeriodic(options.lease().toMillis() / 3, t -> renew(trial, recorder));
    long flusher = vertx.setPeriodic(options.metricFlush().toMillis(), t -> recorder.flush());
    Path trialDir = options.workDir().resolve("trial-" + trial.id());
    // Busy is recorded before training starts, so that the trial's end never overtakes it.
    return registry
        .busyWith(trial.id())
        .otherwise(
            err -> {
              LOG.warn("Marking worker {} busy failed", holder, err);
              return false;
            })
        .compose(busy -> executor.executeBlocking(() -> train(trial, trialDir, recorder)))
        .eventually(
            () -> {
              // Training is over: notifications about this trial no longer concern its run.
              currentTrial = null;
              vertx.cancelTimer(renewal);
              vertx.cancelTimer(flusher);
              return recorder.flush();
            })
        .compose(
            outcome -> finish(trial, outcome.status(), outcome.message()),
            err -> {
              LOG.error("Trial {} failed", trial.id(), err);
              return finish(trial, "failed", describe(err));
            })
        .compose(ended -> trialEnded(trial, ended))
        .eventually(
            () -> {
              current = null;
              return Future.succeededFuture();
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
              if (!held && !recorder.stopRequested()) {
                LOG.warn("Trial {} lost its lease; stopping its training", trial.id());
                recorder.requestStop();
              }
            })
        .onFailure(err -> LOG.warn("Renewing the lease of trial {} failed", trial.id(), err));
  }

  /** Records the trial's end; what the registry counts, {@link #NOT_COUNTED} when not recorded. */
  private Future<Ended> finish(ClaimedTrial trial, String status, String message) {
    // A run stopped because the lease was lost or the trial was cancelled is left as it is; one
    // stopped because this worker is shutting down goes straight back to the queue.
    if (TrainingOutcome.STOPPED.equals(status)) {
      if (!stopping) {
        LOG.info("Trial {} stopped: {}", trial.id(), message);
        return Future.succeededFuture(new Ended(NOT_COUNTED, null));
      }
      return queue
          .release(trial)
          .onSuccess(released -> LOG.info("Trial {} handed back to the queue", trial.id()))
          .onFailure(
              err ->
                  LOG.warn("Handing back trial {} failed; its lease will lapse", trial.id(), err))
          .transform(done -> Future.succeededFuture(new Ended(NOT_COUNTED, null)));
    }
    // A pruned trial did nothing wrong: its rung says where it stopped.
    boolean clean =
        TrainingOutcome.SUCCEEDED.equals(status) || TrainingOutcome.PRUNED.equals(status);
    String error = clean ? null : message;
    return queue
        .finish(trial, status, error)
        .map(
            recorded -> {
              if (recorded) {
                LOG.info(
                    "Trial {} ended {}{}", trial.id(), status, error == null ? "" : ": " + error);
                return new Ended(status, error);
              }
              LOG.warn(
                  "Trial {} ended as {} but its claim was stale; not recorded", trial.id(), status);
              return new Ended(NOT_COUNTED, null);
            });
  }

  /** Counts the trial's end in the registry and quarantines this worker after too many failures. */
  private Future<Void> trialEnded(ClaimedTrial trial, Ended ended) {
    String reason =
        String.format(
            "%d trials in a row failed on this worker; the last, trial %d: %s",
            options.maxConsecutiveFailures(), trial.id(), ended.error());
    return registry
        .trialEnded(ended.status(), options.maxConsecutiveFailures(), reason)
        .onSuccess(
            now -> {
              if (now.isPresent() && WorkerRegistry.QUARANTINED.equals(now.get())) {
                quarantined = true;
                LOG.warn(
                    "Worker {} quarantined: {}; it claims nothing until released", holder, reason);
              }
            })
        .onFailure(err -> LOG.warn("Recording the end of trial {} failed", trial.id(), err))
        .transform(done -> Future.succeededFuture());
  }

  private static String describe(Throwable err) {
    String message = err.getMessage();
    return err.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
