package dev.cliplab.orchestrator.store;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** Conversions from database values to JSON-safe values. */
final class Rows {

  private Rows() {}

  /** A double as JSON can carry it: NaN and the infinities become the strings JavaScript prints. */
  static Object number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return value;
  }

  /** A timestamp column as ISO-8601 text, or null. */
  static String time(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toString();
  }

  /** The columns every view of a trial shows: id, params, state, attempt, error and times. */
  static JsonObject trial(Row row) {
    return new JsonObject()
        .put("id", row.getLong("id"))
        .put("params", row.getJsonObject("params"))
        .put("status", row.getString("status"))
        .put("attempt", row.getInteger("attempt"))
        .put("error", row.getString("error"))
        .put("created_at", Rows.time(row, "created_at"))
        .put("started_at", Rows.time(row, "started_at"))
        .put("finished_at", Rows.time(row, "finished_at"));
  }

  /** Two array columns, names and values, as one JSON object of JSON-safe numbers. */
  static JsonObject flat(Row row, String namesColumn, String valuesColumn) {
    JsonObject out = new JsonObject();
    String[] names = row.getArrayOfStrings(namesColumn);
    Double[] values = row.getArrayOfDoubles(valuesColumn);
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], number(values[i]));
      }
    }
    return out;
  }
}
