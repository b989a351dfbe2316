package dev.cliplab.worker.queue;

import dev.cliplab.worker.train.TrainSpec;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a training thread's question at an epoch's end for a trial of an asha sweep: at a rung it
 * asks the database whether the trial is promoted and waits for the answer; elsewhere, and for
 * every other sweep, the trial goes on. Called on the training thread only, never an event loop.
 */
final class AshaGate {

  private static final Logger LOG = LoggerFactory.getLogger(AshaGate.class);
  private static final long WAIT_SECONDS = 60;

  private final AshaRungs rungs;
  private final ClaimedTrial trial;
  private final Runnable onStale;
  private Optional<AshaPlan> plan;

  /**
   * @param onStale what to do when the claim turns out stale (stop the run: its lease is gone)
   */
  AshaGate(AshaRungs rungs, ClaimedTrial trial, Runnable onStale) {
    this.rungs = rungs;
    this.trial = trial;
    this.onStale = onStale;
  }

  /** Whether the trial goes on after {@code epoch}; a database failure lets it go on. */
  boolean continueAfterEpoch(int epoch, double epochLoss) {
    try {
      if (plan == null) {
        plan = await(rungs.plan(trial.sweepId()));
      }
      if (plan.isEmpty()) {
        return true;
      }
      OptionalInt rung = plan.get().rungAt(epoch, TrainSpec.fromJson(trial.params()).epochs());
      if (rung.isEmpty()) {
        return true;
      }
      if (!AshaPlan.EPOCH_LOSS.equals(plan.get().metric())) {
        LOG.warn(
            "Trial {} reached rung {} but its sweep ranks by {}, which is not recorded at epoch"
                + " ends; not stopping it",
            trial.id(),
            rung.getAsInt(),
            plan.get().metric());
        return true;
      }
      return judge(rung.getAsInt(), epoch, epochLoss);
    } catch (Exception e) {
      LOG.warn("Judging trial {} at epoch {} failed; it goes on", trial.id(), epoch, e);
      return true;
    }
  }

  private boolean judge(int rung, int epoch, double epochLoss) throws Exception {
    AshaRungs.Decision decision = await(rungs.judge(trial, plan.get(), rung, epochLoss));
    if (decision.stale()) {
      LOG.warn("Trial {} reached rung {} with a stale claim; stopping it", trial.id(), rung);
      onStale.run();
      return true;
    }
    LOG.info(
        "Trial {} {} at rung {} (epoch {}): epoch_loss {} among {} results, top 1/{} go on",
        trial.id(),
        decision.promoted() ? "promoted" : "pruned",
        rung,
        epoch,
        epochLoss,
        decision.competitors(),
        plan.get().reductionFactor());
    return decision.promoted();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
