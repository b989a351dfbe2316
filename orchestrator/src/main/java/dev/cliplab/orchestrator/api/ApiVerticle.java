package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.store.Baselines;
import dev.cliplab.orchestrator.store.SweepStore;
import dev.cliplab.orchestrator.store.TrialStore;
import dev.cliplab.orchestrator.sweep.SpecValidator;
import dev.cliplab.orchestrator.sweep.SweepSpec;
import dev.cliplab.worker.eval.EvaluationSuite;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the REST API and the dashboard's static pages. */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final long MAX_BODY_BYTES = 1 << 20;

  private final Pool pool;
  private final String host;
  private final int port;
  private final SpecValidator validator = SpecValidator.create();
  private final JsonObject references = References.load();
  private final Baselines baselines;
  private SweepStore sweeps;
  private TrialStore trials;
  private HttpServer server;

  /**
   * Creates the API.
   *
   * @param pool the database
   * @param host the interface to listen on
   * @param port the port, 0 for any free one
   * @param baselines finds each trial's CLIP baseline for this corpus and code version
   */
  public ApiVerticle(Pool pool, String host, int port, Baselines baselines) {
    this.pool = pool;
    this.baselines = baselines;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    sweeps = new SweepStore(pool, baselines);
    trials = new TrialStore(pool, baselines);
    return vertx
        .createHttpServer()
        .requestHandler(routes())
        .listen(port, host)
        .onSuccess(
            s -> {
              server = s;
              LOG.info("API listening on http://{}:{}/api", host, s.actualPort());
            });
  }

  /** The port actually bound, useful when the configured port was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  private Router routes() {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.get("/api/schemas/sweep-spec").handler(this::sweepSpecSchema);
    router.get("/api/references").handler(ctx -> ctx.json(references));
    router.post("/api/sweeps").handler(this::createSweep);
    router.get("/api/sweeps").handler(this::listSweeps);
    router.get("/api/sweeps/:id").handler(this::getSweep);
    router.get("/api/trials/:id").handler(this::getTrial);
    router.get("/api/trials/:id/metrics").handler(this::getTrialMetrics);
    router.post("/api/trials/:id/evaluations").handler(this::requestEvaluation);
    router.route("/api/*").handler(ctx -> ctx.fail(404));
    router.route("/api/*").failureHandler(new ErrorHandler());
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot"));
    return router;
  }

  private void sweepSpecSchema(RoutingContext ctx) {
    ctx.json(validator.schema());
  }

  private void createSweep(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    Object parsed = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
    if (!(parsed instanceof JsonObject body)) {
      throw ApiException.badRequest("", "the request body must be a JSON object (the sweep spec)");
    }
    SweepSpec spec = validator.validate(body);
    sweeps
        .create(body, spec)
        .onSuccess(
            created -> {
              LOG.info(
                  "Sweep {} '{}' created with {} trials",
                  created.getLong("id"),
                  spec.name(),
                  created.getInteger("trials"));
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("location", "/api/sweeps/" + created.getLong("id"));
              ctx.json(created.put("url", "/api/sweeps/" + created.getLong("id")));
            })
        .onFailure(ctx::fail);
  }

  private void listSweeps(RoutingContext ctx) {
    int limit = intParam(ctx, "limit", 50, 1, 1000);
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    sweeps
        .list(limit, offset)
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject().put("sweeps", list).put("limit", limit).put("offset", offset)))
        .onFailure(ctx::fail);
  }

  private void getSweep(RoutingContext ctx) {
    long id = idParam(ctx);
    sweeps.find(id).onSuccess(found -> respond(ctx, found, "sweep " + id)).onFailure(ctx::fail);
  }

  private void getTrial(RoutingContext ctx) {
    long id = idParam(ctx);
    trials.find(id).onSuccess(found -> respond(ctx, found, "trial " + id)).onFailure(ctx::fail);
  }

  /**
   * Queues an evaluation-only job on a stored checkpoint: body {@code {"tasks": [...], "epoch": N}}
   * (epoch optional, latest by default); 202 with the job's id.
   */
  private void requestEvaluation(RoutingContext ctx) {
    long id = idParam(ctx);
    JsonObject body = ctx.body().asJsonObject();
    if (body == null || !(body.getValue("tasks") instanceof JsonArray tasks) || tasks.isEmpty()) {
      throw ApiException.badRequest("tasks", "a non-empty list of " + EvaluationSuite.TASKS);
    }
    for (int i = 0; i < tasks.size(); i++) {
      if (!EvaluationSuite.TASKS.contains(tasks.getValue(i))) {
        throw ApiException.badRequest(
            "tasks[" + i + "]", tasks.getValue(i) + " is not one of " + EvaluationSuite.TASKS);
      }
      if (tasks.getList().indexOf(tasks.getValue(i)) != i) {
        throw ApiException.badRequest("tasks[" + i + "]", tasks.getValue(i) + " is listed twice");
      }
    }
    Object epoch = body.getValue("epoch");
    if (epoch != null && !(epoch instanceof Integer n && n >= 1)) {
      throw ApiException.badRequest("epoch", "a checkpoint's epoch, from 1");
    }
    trials
        .requestEvaluation(id, tasks, (Integer) epoch)
        .onSuccess(
            job -> {
              if (job.isEmpty()) {
                refuseEvaluation(ctx, id, (Integer) epoch);
                return;
              }
              ctx.response().setStatusCode(202);
              ctx.json(
                  new JsonObject()
                      .put("trial_id", job.get())
                      .put("url", "/api/trials/" + job.get()));
            })
        .onFailure(ctx::fail);
  }

  /** A 404 for an unknown trial, else a 409 that says which rule the request broke. */
  private void refuseEvaluation(RoutingContext ctx, long id, Integer epoch) {
    trials
        .find(id)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                ctx.fail(ApiException.notFound("trial " + id));
                return;
              }
              JsonObject trial = found.get();
              List<Integer> epochs = new ArrayList<>();
              trial
                  .getJsonArray("checkpoints")
                  .forEach(c -> epochs.add(((JsonObject) c).getInteger("epoch")));
              String why;
              if (trial.getJsonObject("params").containsKey("evaluate")) {
                why = "trial " + id + " is itself an evaluation job";
              } else if (epoch == null ? epochs.isEmpty() : !epochs.contains(epoch)) {
                why =
                    "trial "
                        + id
                        + " has no checkpoint"
                        + (epoch == null ? "" : " at epoch " + epoch)
                        + " yet; its checkpoints are at epochs "
                        + epochs;
              } else {
                why = "this evaluation of trial " + id + " was already requested";
              }
              ctx.fail(new ApiException(409, why, List.of()));
            })
        .onFailure(ctx::fail);
  }

  private void getTrialMetrics(RoutingContext ctx) {
    long id = idParam(ctx);
    String name = ctx.queryParams().get("name");
    trials
        .find(id)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("trial " + id));
              }
              return trials.history(id, name);
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  private static void respond(RoutingContext ctx, Optional<JsonObject> found, String what) {
    if (found.isEmpty()) {
      ctx.fail(ApiException.notFound(what));
    } else {
      ctx.json(found.get());
    }
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
      if (value < min || value > max) {
        throw ApiException.badRequest(name, "must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "'" + raw + "' is not an integer");
    }
  }
}
