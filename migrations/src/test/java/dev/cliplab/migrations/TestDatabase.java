package dev.cliplab.migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh, migrated database on the real PostgreSQL for one test class, dropped again when the JVM
 * exits. The server is found through {@code CLIPLAB_PG_HOST}, {@code CLIPLAB_PG_PORT} and {@code
 * CLIPLAB_PG_USER}, by default {@code 127.0.0.1:5432} as {@code postgres}.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final String host;
  private final int port;
  private final String user;
  private final String name;

  private TestDatabase(String host, int port, String user, String name) {
    this.host = host;
    this.port = port;
    this.user = user;
    this.name = name;
  }

  /** Creates and migrates a database whose name is unique to this JVM and call. */
  public static TestDatabase create() {
    String host = env("CLIPLAB_PG_HOST", "127.0.0.1");
    int port = Integer.parseInt(env("CLIPLAB_PG_PORT", "5432"));
    String user = env("CLIPLAB_PG_USER", "postgres");
    String name = "cliplab_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    TestDatabase db = new TestDatabase(host, port, user, name);
    db.admin("DROP DATABASE IF EXISTS " + name);
    db.admin("CREATE DATABASE " + name);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> db.admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
    Migrations.migrate(db.jdbcUrl(), user, "");
    return db;
  }

  private static String env(String key, String fallback) {
    String value = System.getenv(key);
    return value == null || value.isBlank() ? fallback : value;
  }

  private void admin(String sql) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Test database statement failed: " + sql, e);
    }
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + name;
  }
}
