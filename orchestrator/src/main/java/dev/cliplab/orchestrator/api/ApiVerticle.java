package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.store.Baselines;
import dev.cliplab.orchestrator.store.SweepStore;
import dev.cliplab.orchestrator.store.TrialStore;
import dev.cliplab.orchestrator.sweep.SpecError;
import dev.cliplab.orchestrator.sweep.SpecValidator;
import dev.cliplab.orchestrator.sweep.SweepSpec;
import dev.cliplab.worker.eval.EvaluationSuite;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the REST API and the dashboard's static pages. */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  private static final long MAX_BODY_BYTES = 1 << 20;
  private static final List<String> BODY_TYPES =
      List.of("application/json", "application/yaml", "application/x-yaml", "text/yaml");
  private static final String HELDOUT_IMAGES = "heldout/images";
  private static final Pattern IMAGE_NAME =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.(png|jpg|jpeg)");

  private final Pool pool;
  private final String host;
  private final int port;
  private final SpecValidator validator = SpecValidator.create();
  private final JsonObject references = References.load();
  private final Baselines baselines;
  private final ErrorHandler errors = new ErrorHandler();
  private final Buffer openApi = Resources.read(Resources.OPENAPI);
  private final Path dataRoot;
  private SweepStore sweeps;
  private TrialStore trials;
  private SweepReadHandlers reads;
  private EventStream events;
  private Router router;
  private HttpServer server;

  /**
   * Creates the API.
   *
   * @param pool the database
   * @param host the interface to listen on
   * @param port the port, 0 for any free one
   * @param baselines finds each trial's CLIP baseline for this corpus and code version
   * @param dataRoot the demo corpus, whose held-out images the retrieval gallery shows
   */
  public ApiVerticle(Pool pool, String host, int port, Baselines baselines, Path dataRoot) {
    this.pool = pool;
    this.dataRoot = dataRoot;
    this.baselines = baselines;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    sweeps = new SweepStore(pool, baselines);
    trials = new TrialStore(pool, baselines);
    reads = new SweepReadHandlers(pool);
    events = new EventStream(vertx);
    router = routes();
    return vertx
        .createHttpServer()
        .requestHandler(router)
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

  /** The routes the API serves. */
  public Router router() {
    return router;
  }

  /** How many clients have {@code GET /api/events} open now. */
  public int openEventStreams() {
    return events.open();
  }

  private Router routes() {
    Router router = Router.router(vertx);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.route("/api/*").handler(ApiVerticle::supportedContentType);
    router.get("/api/openapi.json").handler(this::openApi);
    router.get("/api/schemas/sweep-spec").handler(this::sweepSpecSchema);
    router.get("/api/references").handler(ctx -> ctx.json(references));
    router.post("/api/sweeps").handler(this::createSweep);
    router.get("/api/sweeps").handler(reads::list);
    router.get("/api/sweeps/:id").handler(reads::get);
    router.get("/api/sweeps/:id/trials").handler(reads::trials);
    router.get("/api/sweeps/:id/export.csv").handler(reads::exportCsv);
    router.get("/api/trials/:id").handler(this::getTrial);
    router.get("/api/trials/:id/metrics").handler(reads::metrics);
    router.post("/api/trials/:id/evaluations").handler(this::requestEvaluation);
    ControlApi controls = new ControlApi(pool);
    router.post("/api/sweeps/:id/pause").handler(controls::pauseSweep);
    router.post("/api/sweeps/:id/resume").handler(controls::resumeSweep);
    router.post("/api/sweeps/:id/cancel").handler(controls::cancelSweep);
    router.post("/api/trials/:id/cancel").handler(controls::cancelTrial);
    router.post("/api/trials/:id/retry").handler(controls::retryTrial);
    router.get("/api/workers").handler(controls::listWorkers);
    router.post("/api/workers/:id/release").handler(controls::releaseWorker);
    router.get("/api/trials/:id/evaluations/:phase").handler(this::getEvaluationDetails);
    router.get("/api/corpus/heldout/images/:file").handler(this::heldoutImage);
    router.get("/api/events").handler(events);
    router.route("/api/*").failureHandler(errors);
    for (int status : new int[] {400, 404, 405, 406, 413, 415}) {
      router.errorHandler(status, errors);
    }
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.getWithRegex("/(?!api(/|$)).*").handler(StaticHandler.create("webroot"));
    return router;
  }

  /** Refuses a body in a format no endpoint reads; a request without a body may say anything. */
  private static void supportedContentType(RoutingContext ctx) {
    String type = ctx.parsedHeaders().contentType().value();
    boolean hasBody = ctx.body().length() > 0;
    if (hasBody && !type.isEmpty() && !BODY_TYPES.contains(type)) {
      throw new ApiException(
          415,
          "content type " + type + " is not supported; send one of " + BODY_TYPES,
          List.of(new SpecError("content-type", "one of " + BODY_TYPES)));
    }
    ctx.next();
  }

  private void openApi(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "application/json").end(openApi);
  }

  private void sweepSpecSchema(RoutingContext ctx) {
    ctx.json(validator.schema());
  }

  /**
   * Validates a spec (JSON, or YAML by content type) off the event loop, then stores it and its
   * trials; with {@code ?dry_run=true} only says how many trials and baselines it would make.
   */
  private void createSweep(RoutingContext ctx) {
    JsonObject body = SpecBodies.read(ctx);
    boolean dryRun = QueryParams.bool(ctx, "dry_run");
    vertx
        // Ordered: one validation at a time, as when it ran on the event loop.
        .executeBlocking(() -> validator.validate(body), true)
        .compose(
            spec ->
                dryRun
                    ? sweeps.plan(spec).onSuccess(plan -> ctx.json(plan.put("valid", true)))
                    : sweeps.create(body, spec).onSuccess(created -> created(ctx, spec, created)))
        .onFailure(ctx::fail);
  }

  private static void created(RoutingContext ctx, SweepSpec spec, JsonObject created) {
    long id = created.getLong("id");
    LOG.info("Sweep {} '{}' created with {} trials", id, spec.name(), created.getInteger("trials"));
    ctx.response().setStatusCode(201).putHeader("location", "/api/sweeps/" + id);
    ctx.json(created.put("url", "/api/sweeps/" + id));
  }

  private void getTrial(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    trials
        .find(id)
        .onSuccess(found -> SweepReadHandlers.respond(ctx, found, "trial " + id))
        .onFailure(ctx::fail);
  }

  /**
   * Queues an evaluation-only job on a stored checkpoint: body {@code {"tasks": [...], "epoch": N}}
   * (epoch optional, latest by default); 202 with the job's id.
   */
  private void requestEvaluation(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
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

  private void getEvaluationDetails(RoutingContext ctx) {
    long id = QueryParams.id(ctx);
    String phase = ctx.pathParam("phase");
    trials
        .evaluationDetails(id, phase)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                ctx.fail(ApiException.notFound("evaluation details of trial " + id + " " + phase));
              } else {
                ctx.json(
                    new JsonObject()
                        .put("trial_id", id)
                        .put("phase", phase)
                        .put("report", found.get()));
              }
            })
        .onFailure(ctx::fail);
  }

  /**
   * Sends one held-out image of the corpus this orchestrator reads, for the retrieval gallery; the
   * name must be a plain file name, so no request reaches outside the folder.
   */
  private void heldoutImage(RoutingContext ctx) {
    String file = ctx.pathParam("file");
    if (!IMAGE_NAME.matcher(file).matches()) {
      throw ApiException.badRequest("file", "'" + file + "' is not an image file name");
    }
    String path = dataRoot.resolve(HELDOUT_IMAGES).resolve(file).toAbsolutePath().toString();
    vertx
        .fileSystem()
        .exists(path)
        .onSuccess(
            exists -> {
              if (exists) {
                ctx.response().sendFile(path).onFailure(ctx::fail);
              } else {
                ctx.fail(ApiException.notFound("held-out image " + file));
              }
            })
        .onFailure(ctx::fail);
  }
}
