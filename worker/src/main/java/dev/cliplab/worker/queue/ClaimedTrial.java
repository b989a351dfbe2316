package dev.cliplab.worker.queue;

import io.vertx.core.json.JsonObject;

/**
 * A trial held by one worker under a lease; {@code attempt} is the fencing token of that claim.
 *
 * @param id the trial's id
 * @param sweepId the sweep the trial belongs to
 * @param params the trial's full parameters (the sweep's fixed settings and its grid point)
 * @param attempt how many times the trial has been claimed, this claim included
 */
public record ClaimedTrial(long id, long sweepId, JsonObject params, int attempt) {}
