package dev.cliplab.worker.queue;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
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

  /** Waits up to a minute. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
