package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.store.SweepControl;
import dev.cliplab.orchestrator.store.WorkerStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Handlers of the controls: pause, resume and cancel a sweep; cancel and retry a trial; list the
 * workers and lift a quarantine. A change that does not apply to the row's state is a 409 that says
 * why; an unknown id is a 404.
 */
final class ControlApi {

  private static final String RETRYABLE = "failed, diverged, cancelled or pruned";

  private final SweepControl control;
  private final WorkerStore workers;

  ControlApi(Pool pool) {
    this.control = new SweepControl(pool);
    this.workers = new WorkerStore(pool);
  }

  void pauseSweep(RoutingContext ctx) {
    changeSweep(ctx, control::pause, "paused", "an active sweep can be paused");
  }

  void resumeSweep(RoutingContext ctx) {
    changeSweep(ctx, control::resume, "resumed", "a paused sweep can be resumed");
  }

  void cancelSweep(RoutingContext ctx) {
    changeSweep(ctx, control::cancel, "cancelled", "an active or paused sweep can be cancelled");
  }

  private void changeSweep(
      RoutingContext ctx,
      Function<Long, Future<Optional<JsonObject>>> change,
      String verb,
      String rule) {
    long id = idParam(ctx);
    change
        .apply(id)
        .compose(
            changed ->
                changed.isPresent()
                    ? Future.succeededFuture(changed.get())
                    : control
                        .sweepStatus(id)
                        .compose(
                            status ->
                                Future.failedFuture(
                                    status.isEmpty()
                                        ? ApiException.notFound("sweep " + id)
                                        : conflict(
                                            "sweep "
                                                + id
                                                + " is "
                                                + status.get()
                                                + " and cannot be "
                                                + verb
                                                + "; only "
                                                + rule))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  void cancelTrial(RoutingContext ctx) {
    long id = idParam(ctx);
    changeTrial(ctx, id, control.cancelTrial(id), "cancelled", "a queued or running trial");
  }

  void retryTrial(RoutingContext ctx) {
    long id = idParam(ctx);
    changeTrial(ctx, id, control.retryTrial(id), "retried", "a " + RETRYABLE + " trial");
  }

  private void changeTrial(
      RoutingContext ctx, long id, Future<Optional<JsonObject>> change, String verb, String rule) {
    change
        .compose(
            changed ->
                changed.isPresent()
                    ? Future.succeededFuture(changed.get())
                    : control
                        .trialState(id)
                        .compose(state -> Future.failedFuture(refusal(id, state, verb, rule))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private static ApiException refusal(
      long id, Optional<JsonObject> state, String verb, String rule) {
    if (state.isEmpty()) {
      return ApiException.notFound("trial " + id);
    }
    if ("cancelled".equals(state.get().getString("sweep_status"))
        && "retried".equals(verb)
        && RETRYABLE.contains(state.get().getString("status"))) {
      return conflict("trial " + id + " belongs to a cancelled sweep and cannot be retried");
    }
    return conflict(
        "trial "
            + id
            + " is "
            + state.get().getString("status")
            + " and cannot be "
            + verb
            + "; only "
            + rule
            + " can");
  }

  void listWorkers(RoutingContext ctx) {
    String status = ctx.queryParams().get("status");
    if (status != null && !WorkerStore.FILTERS.contains(status)) {
      throw ApiException.badRequest("status", "one of " + WorkerStore.FILTERS);
    }
    int limit = intParam(ctx, "limit", 100, 1, 1000);
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    workers.list(status, limit, offset).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  void releaseWorker(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    workers
        .release(id)
        .compose(
            released ->
                released.isPresent()
                    ? Future.succeededFuture(released.get())
                    : workers
                        .find(id)
                        .compose(
                            found ->
                                Future.failedFuture(
                                    found.isEmpty()
                                        ? ApiException.notFound("worker " + id)
                                        : conflict(
                                            "worker "
                                                + id
                                                + " is "
                                                + found.get().getString("status")
                                                + ", not quarantined; there is nothing to"
                                                + " release"))))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private static ApiException conflict(String message) {
    return new ApiException(409, message, List.of());
  }

  private static long idParam(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("id", "'" + raw + "' is not a numeric id");
    }
  }

  private static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // Answered below, as an out-of-range value is.
    }
    throw ApiException.badRequest(name, "an integer from " + min + " to " + max);
  }
}
