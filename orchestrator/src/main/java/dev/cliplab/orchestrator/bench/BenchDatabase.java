package dev.cliplab.orchestrator.bench;

import dev.cliplab.migrations.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own database: created and migrated at the start, dropped at the end.
 *
 * @param host PostgreSQL's host
 * @param port its port
 * @param user the user, who may create databases
 * @param password the user's password
 * @param name the database's name
 */
record BenchDatabase(String host, int port, String user, String password, String name)
    implements AutoCloseable {

  /** Creates a fresh database named after this process and migrates it; blocking. */
  static BenchDatabase create(String host, int port, String user, String password) {
    String name = "cliplab_bench_" + ProcessHandle.current().pid();
    BenchDatabase db = new BenchDatabase(host, port, user, password, name);
    db.admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    db.admin("CREATE DATABASE " + name);
    try {
      Migrations.migrate("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** A pool of {@code size} connections to the database. */
  Pool pool(Vertx vertx, int size) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(host)
            .setPort(port)
            .setDatabase(name)
            .setUser(user)
            .setPassword(password);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  /** Drops the database, closing whatever connections are left. */
  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private void admin(String sql) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run '" + sql + "': " + e.getMessage(), e);
    }
  }

  /** Waits for a future from the benchmark's thread. */
  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  /** Runs one statement and returns its first row (null when it returns none). */
  static Row one(Pool pool, String sql, Object... args) throws Exception {
    var rows = await(pool.preparedQuery(sql).execute(Tuple.from(args)));
    return rows.size() == 0 ? null : rows.iterator().next();
  }

  /** Inserts an active sweep and returns its id. */
  static long sweep(Pool pool, String name) throws Exception {
    return one(pool, "INSERT INTO sweeps (name, spec) VALUES ($1, '{}') RETURNING id", name)
        .getLong("id");
  }
}
