package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.store.MetricHistory;
import dev.cliplab.orchestrator.store.SweepExport;
import dev.cliplab.orchestrator.store.SweepReads;
import dev.cliplab.orchestrator.store.TrialPages;
import dev.cliplab.orchestrator.store.TrialPages.Sort;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;

/** The read side of sweeps and their trials: lists, pages, metric history and the CSV export. */
final class SweepReadHandlers {

  /** Trials that {@code GET /api/sweeps/{id}} shows; the rest are paged. */
  static final int FIRST_PAGE = 100;

  private static final List<String> ORDERS = List.of("asc", "desc");

  private final SweepReads sweeps;
  private final TrialPages trials;
  private final MetricHistory metrics;
  private final SweepExport export;

  SweepReadHandlers(Pool pool) {
    this.sweeps = new SweepReads(pool);
    this.trials = new TrialPages(pool);
    this.metrics = new MetricHistory(pool);
    this.export = new SweepExport(pool);
  }

  /** {@code GET /api/sweeps}: limit, offset, status, q. */
  void list(RoutingContext ctx) {
    int limit = QueryParams.integer(ctx, "limit", 50, 1, 1000);
    int offset = QueryParams.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    String status = QueryParams.oneOf(ctx, "status", SweepReads.STATES);
    String q = ctx.queryParams().get("q");
    sweeps
        .list(limit, offset, status, q == null || q.isEmpty() ? null : q)
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/sweeps/{id}}: the sweep and its first {@value #FIRST_PAGE} trials by id. */
  void get(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    Future<Optional<JsonObject>> sweep = sweeps.find(id);
    Future<Optional<JsonObject>> page =
        trials.page(id, null, Sort.parse("id", false).orElseThrow(), FIRST_PAGE, 0);
    Future.all(sweep, page)
        .onSuccess(
            all -> {
              if (sweep.result().isEmpty() || page.result().isEmpty()) {
                ctx.fail(ApiException.notFound("sweep " + id));
                return;
              }
              JsonObject first = page.result().get();
              ctx.json(
                  sweep
                      .result()
                      .get()
                      .put("trials", first.getJsonArray("trials"))
                      .put("trials_total", first.getLong("total")));
            })
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/sweeps/{id}/trials}: limit, offset, status, sort, order. */
  void trials(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    int limit = QueryParams.integer(ctx, "limit", FIRST_PAGE, 1, 1000);
    int offset = QueryParams.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    List<String> states = QueryParams.list(ctx, "status", TrialPages.STATES);
    String order = QueryParams.oneOf(ctx, "order", ORDERS);
    String key = ctx.queryParams().get("sort");
    Sort sort =
        Sort.parse(key == null ? "id" : key, "desc".equals(order))
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "sort",
                        "'"
                            + key
                            + "' is not id, status, params.<name>, metrics.<name> or"
                            + " eval.<phase>.<task>.<metric>"));
    trials
        .page(id, states, sort, limit, offset)
        .onSuccess(found -> respond(ctx, found, "sweep " + id))
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/sweeps/{id}/export.csv}. */
  void exportCsv(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    export
        .csv(id)
        .onSuccess(
            csv -> {
              if (csv.isEmpty()) {
                ctx.fail(ApiException.notFound("sweep " + id));
                return;
              }
              ctx.response()
                  .putHeader("content-type", "text/csv; charset=utf-8")
                  .putHeader("content-disposition", "attachment; filename=\"sweep-" + id + ".csv\"")
                  .end(csv.get());
            })
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/trials/{id}/metrics}: name (repeatable or a comma list), points. */
  void metrics(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    List<String> names = QueryParams.list(ctx, "name", null);
    int points = QueryParams.integer(ctx, "points", 1000, 0, 1_000_000);
    if (points > 0 && points < 4) {
      throw ApiException.badRequest("points", "must be 0 (every point) or at least 4");
    }
    metrics
        .history(id, names, points)
        .onSuccess(found -> respond(ctx, found, "trial " + id))
        .onFailure(ctx::fail);
  }

  static void respond(RoutingContext ctx, Optional<JsonObject> found, String what) {
    if (found.isEmpty()) {
      ctx.fail(ApiException.notFound(what));
    } else {
      ctx.json(found.get());
    }
  }
}
