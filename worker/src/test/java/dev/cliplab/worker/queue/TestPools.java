package dev.cliplab.worker.queue;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A pool on a fresh, migrated test database, and waiting for futures from a test thread. */
final class TestPools {

  private TestPools() {}

  /** Creates a test database and a pool of 16 connections to it. */
  static Pool create(Vertx vertx) {
    TestDatabase db = TestDatabase.create();
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(db.host())
            .setPort(db.port())
            .setDatabase(db.name())
            .setUser(db.user());
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(16))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /**
   * Queues {@code count} trials {@code {"i": i}} of priority {@code priority}; returns their ids.
   */
  static List<Long> insertTrials(Pool pool, long sweep, int count, int priority) throws Exception {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject params = new JsonObject().put("i", i);
      ids.add(
          await(
                  pool.preparedQuery(
                          "INSERT INTO trials (sweep_id, params, params_hash, priority)"
                              + " VALUES ($1, $2, $3, $4) RETURNING id")
                      .execute(Tuple.of(sweep, params, "h" + i, priority)))
              .iterator()
              .next()
              .getLong("id"));
    }
    return ids;
  }

  /** Waits up to a minute. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
