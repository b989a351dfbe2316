package dev.cliplab.migrations;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the cliplab migrations to a PostgreSQL database; blocking, so never on an event loop. */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Migrates the database at {@code jdbcUrl} to the newest schema version.
   *
   * @return the schema version after migrating
   */
  public static String migrate(String jdbcUrl, String user, String password) {
    Flyway flyway =
        Flyway.configure()
            .dataSource(jdbcUrl, user, password)
            .locations("classpath:db/migration")
            .load();
    MigrateResult result = flyway.migrate();
    String version = flyway.info().current().getVersion().getVersion();
    LOG.info(
        "Database schema at version {} ({} migrations applied)",
        version,
        result.migrationsExecuted);
    return version;
  }

  /** Migrates the database named on the command line as a JDBC URL, user and password. */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: Migrations JDBC_URL [USER [PASSWORD]]");
      System.exit(2);
    }
    migrate(args[0], args.length > 1 ? args[1] : "postgres", args.length > 2 ? args[2] : "");
  }
}
