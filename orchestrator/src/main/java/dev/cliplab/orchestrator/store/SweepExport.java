package dev.cliplab.orchestrator.store;

import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A sweep's trials as CSV, one row per trial: {@code id, status, attempt}, then a {@code
 * params.<name>} column for every parameter any trial has, a {@code metrics.<name>} column for the
 * latest value of every training metric, and a {@code <phase>.<task>.<metric>} column for every
 * evaluation.
 */
public final class SweepExport {

  private static final String TRIALS =
      """
      SELECT t.id, t.status, t.attempt, t.params,
             lm.metric_names, lm.metric_values, ev.eval_names, ev.eval_values
      FROM trials t
      LEFT JOIN LATERAL (
        SELECT array_agg(x.name) AS metric_names, array_agg(x.last_value) AS metric_values
        FROM (SELECT DISTINCT ON (name) name, last_value FROM metric_rollups
              WHERE trial_id = t.id ORDER BY name, bucket DESC) x) lm ON true
      LEFT JOIN LATERAL (
        SELECT array_agg(phase || '.' || task || '.' || metric) AS eval_names,
               array_agg(value) AS eval_values
        FROM evaluations WHERE trial_id = t.id) ev ON true
      WHERE t.sweep_id = $1
      ORDER BY t.id""";

  private static final String EXISTS = "SELECT 1 FROM sweeps WHERE id = $1";

  private final Pool pool;

  public SweepExport(Pool pool) {
    this.pool = pool;
  }

  /** The CSV text; empty when there is no such sweep. */
  public Future<Optional<String>> csv(long sweepId) {
    Tuple key = Tuple.of(sweepId);
    return pool.preparedQuery(EXISTS)
        .execute(key)
        .compose(
            found ->
                found.size() == 0
                    ? Future.succeededFuture(Optional.empty())
                    : pool.preparedQuery(TRIALS).execute(key).map(rows -> Optional.of(csv(rows))));
  }

  private static String csv(RowSet<Row> rows) {
    List<Row> trials = new ArrayList<>();
    TreeSet<String> params = new TreeSet<>();
    TreeSet<String> metrics = new TreeSet<>();
    TreeSet<String> evaluations = new TreeSet<>();
    for (Row row : rows) {
      trials.add(row);
      params.addAll(row.getJsonObject("params").fieldNames());
      metrics.addAll(Rows.flat(row, "metric_names", "metric_values").fieldNames());
      evaluations.addAll(Rows.flat(row, "eval_names", "eval_values").fieldNames());
    }
    List<String> header = new ArrayList<>(List.of("id", "status", "attempt"));
    params.forEach(p -> header.add("params." + p));
    metrics.forEach(m -> header.add("metrics." + m));
    header.addAll(evaluations);
    StringBuilder out = new StringBuilder();
    try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
      printer.printRecord(header);
      for (Row row : trials) {
        printer.printRecord(record(row, params, metrics, evaluations));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static List<Object> record(
      Row row, TreeSet<String> params, TreeSet<String> metrics, TreeSet<String> evaluations) {
    List<Object> cells = new ArrayList<>();
    cells.add(row.getLong("id"));
    cells.add(row.getString("status"));
    cells.add(row.getInteger("attempt"));
    JsonObject values = row.getJsonObject("params");
    params.forEach(p -> cells.add(cell(values.getValue(p))));
    JsonObject latest = Rows.flat(row, "metric_names", "metric_values");
    metrics.forEach(m -> cells.add(cell(latest.getValue(m))));
    JsonObject evals = Rows.flat(row, "eval_names", "eval_values");
    evaluations.forEach(e -> cells.add(cell(evals.getValue(e))));
    return cells;
  }

  /** A value as a cell: text as it is, lists and objects as JSON, absent as an empty cell. */
  private static Object cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return Json.encode(value);
  }
}
