package dev.cliplab.orchestrator;

import dev.cliplab.migrations.Migrations;
import dev.cliplab.orchestrator.api.ApiVerticle;
import dev.cliplab.orchestrator.api.EventRelay;
import dev.cliplab.orchestrator.store.Baselines;
import dev.cliplab.worker.queue.TrialQueue;
import dev.cliplab.worker.queue.WorkerOptions;
import dev.cliplab.worker.queue.WorkerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running cliplab: the API, the lease reaper and the in-process workers, on one Vert.x. */
public final class Platform {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);
  private static final long REAP_EVERY_MS = 5_000;

  private final Vertx vertx;
  private final PlatformOptions options;
  private final boolean withApi;
  private final List<String> workerDeployments = new ArrayList<>();
  private Pool pool;
  private ApiVerticle api;
  private EventRelay relay;

  private Platform(Vertx vertx, PlatformOptions options, boolean withApi) {
    this.vertx = vertx;
    this.options = options;
    this.withApi = withApi;
  }

  /** Migrates the database, then starts every part; the future completes once the API listens. */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options) {
    return start(vertx, options, true);
  }

  /**
   * Like {@link #start(Vertx, PlatformOptions)}; without the API when {@code withApi} is false, as
   * a standalone worker host runs it.
   */
  public static Future<Platform> start(Vertx vertx, PlatformOptions options, boolean withApi) {
    Platform platform = new Platform(vertx, options, withApi);
    LOG.info("Starting cliplab: {}", options.describe());
    return vertx
        .executeBlocking(
            () -> Migrations.migrate(options.jdbcUrl(), options.pgUser, options.pgPassword))
        .compose(version -> platform.startParts())
        .map(platform);
  }

  private Future<Void> startParts() {
    pool = createPool();
    Future<?> chain = Future.succeededFuture();
    if (withApi) {
      api =
          new ApiVerticle(
              pool,
              options.httpHost,
              options.httpPort,
              new Baselines(pool, RunIdentity.dataVersion(options.dataRoot), RunIdentity.code()),
              options.dataRoot);
      chain =
          EventRelay.start(vertx, connectOptions())
              .compose(
                  started -> {
                    relay = started;
                    return vertx.deployVerticle(api);
                  });
    }
    for (String device : options.workerDevices()) {
      // Trial ids restart in every database: one folder per database keeps one database's trial 1
      // from resuming another's checkpoints.
      Path trials =
          options
              .workDir
              .toAbsolutePath()
              .resolve(options.pgHost + "-" + options.pgPort + "-" + options.pgDatabase);
      WorkerOptions worker =
          WorkerOptions.defaults(device, options.dataRoot.toAbsolutePath(), trials)
              .withLease(options.lease())
              .withMaxConsecutiveFailures(options.quarantineAfter);
      chain =
          chain
              .compose(
                  id -> vertx.deployVerticle(new WorkerVerticle(pool, connectOptions(), worker)))
              .onSuccess(workerDeployments::add);
    }
    TrialQueue queue = new TrialQueue(pool);
    vertx.setPeriodic(REAP_EVERY_MS, t -> reap(queue));
    return chain.mapEmpty();
  }

  private void reap(TrialQueue queue) {
    queue
        .reapExpiredLeases()
        .onSuccess(
            n -> {
              if (n > 0) {
                LOG.warn("Re-queued or failed {} trials whose lease expired", n);
              }
            })
        .onFailure(err -> LOG.warn("Reaping expired leases failed; trying again shortly", err));
  }

  private PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(options.pgHost)
        .setPort(options.pgPort)
        .setDatabase(options.pgDatabase)
        .setUser(options.pgUser)
        .setPassword(options.pgPassword);
  }

  private Pool createPool() {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(8))
        .connectingTo(connectOptions())
        .using(vertx)
        .build();
  }

  /**
   * Stops the workers first, so that each hands its running trial back to the queue while the
   * database pool is still open, then closes everything else.
   */
  public Future<Void> stop() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : workerDeployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed)
        .transform(done -> relay == null ? Future.succeededFuture() : relay.close())
        .transform(done -> vertx.close());
  }

  /** The API verticle, when this platform serves the API. */
  ApiVerticle api() {
    return api;
  }

  /** The port the API listens on. */
  public int httpPort() {
    return api.actualPort();
  }

  /** The base address of the REST API. */
  public String apiAddress() {
    String host = "0.0.0.0".equals(options.httpHost) ? "localhost" : options.httpHost;
    return "http://" + host + ":" + httpPort() + "/api";
  }

  /** The Vert.x instance the platform runs on. */
  public Vertx vertx() {
    return vertx;
  }

  /** The connection pool the platform shares between its parts. */
  public Pool pool() {
    return pool;
  }
}
