package dev.cliplab.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  @DisplayName("a fresh database gets every table, and migrating again changes nothing")
  void migratesOnceAndIsIdempotent() throws Exception {
    TestDatabase db = TestDatabase.create();

    String again = Migrations.migrate(db.jdbcUrl(), db.user(), "");

    // V1 tables, V2 trials.spec_hash, V3 trials.runtime, V4 evaluation jobs, V5 scheduling and
    // events, V6 claims and wake-ups, V7 metric rollups, V8 asha rungs, V9 evaluation details,
    // V10 rollups locked in key order, V11 specs kept as written: the last version.
    assertThat(again).isEqualTo("11");
    List<String> tables = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'public' ORDER BY table_name")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    assertThat(tables)
        .contains(
            "sweeps",
            "trials",
            "metrics",
            "evaluations",
            "checkpoints",
            "workers",
            "metric_rollups",
            "asha_results",
            "evaluation_details");
    List<String> trialColumns = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), "");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT column_name FROM information_schema.columns"
                        + " WHERE table_name = 'trials'")) {
      while (rs.next()) {
        trialColumns.add(rs.getString(1));
      }
    }
    assertThat(trialColumns).contains("spec_hash", "runtime");
  }
}
