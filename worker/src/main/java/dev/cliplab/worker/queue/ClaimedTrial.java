package dev.cliplab.worker.queue;

import io.vertx.core.json.JsonObject;

/**
 * A trial held by one worker under a lease; {@code attempt} is the fencing token of that claim.
 *
 * @param id the trial's id
 * @param sweepId the sweep the trial belongs to
 * @param params the trial's full parameters (the sweep's fixed settings and its grid point)
 * @param attempt how many times the trial has been claimed, this claim included
 * @param kind {@code train}, or {@code evaluate} for a job scoring another trial's checkpoint
 * @param sourceTrialId for an evaluation job, the trial whose checkpoint it scores; else null
 */
public record ClaimedTrial(
    long id, long sweepId, JsonObject params, int attempt, String kind, Long sourceTrialId) {

  /** The kind of a job that scores a stored checkpoint instead of training. */
  public static final String EVALUATE = "evaluate";

  /** Whether this claim is an evaluation job. */
  public boolean isEvaluation() {
    return EVALUATE.equals(kind);
  }
}
