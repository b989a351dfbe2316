package dev.cliplab.orchestrator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the configured database on first use, so a fresh PostgreSQL needs no manual step. */
final class Databases {

  private static final Logger LOG = LoggerFactory.getLogger(Databases.class);

  private Databases() {}

  /** Creates the database named in {@code options} unless it exists; blocking. */
  static void ensureExists(PlatformOptions options) {
    if (!options.pgDatabase.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "--pg-database must be a plain identifier, got '" + options.pgDatabase + "'");
    }
    String url = "jdbc:postgresql://" + options.pgHost + ":" + options.pgPort + "/postgres";
    try (Connection c = DriverManager.getConnection(url, options.pgUser, options.pgPassword);
        PreparedStatement exists =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, options.pgDatabase);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + options.pgDatabase);
      }
      LOG.info("Created database {}", options.pgDatabase);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach PostgreSQL at "
              + options.pgHost
              + ":"
              + options.pgPort
              + " as "
              + options.pgUser
              + " ("
              + e.getMessage()
              + "); start it or set CLIPLAB_PG_HOST/CLIPLAB_PG_PORT/CLIPLAB_PG_USER",
          e);
    }
  }
}
