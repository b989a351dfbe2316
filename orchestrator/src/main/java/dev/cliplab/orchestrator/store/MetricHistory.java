package dev.cliplab.orchestrator.store;

import dev.cliplab.orchestrator.store.Downsampler.Point;
import dev.cliplab.orchestrator.store.Downsampler.Summary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trial's metric history, downsampled on the server. The summaries of every 1,000 steps that the
 * database keeps beside the points ({@code metric_rollups}) tell how long each series is, and a
 * long series is drawn from them: a million points are read as a thousand rows. Only a series short
 * enough to send whole, or one whose steps span too few summaries for the points asked for and that
 * is small enough to read whole, is read point by point; a longer one is drawn from its summaries
 * even when they give fewer points than asked for, each summary's first, smallest, largest and
 * last.
 */
public final class MetricHistory {

  /**
   * A series of more than this many times the points asked for is never read point by point: a
   * series of 200,000 steps asked for 1,000 points gets the 800 points of its 200 summaries in
   * milliseconds rather than 1,000 points from a scan of 200,000 rows.
   */
  private static final int MOST_POINTS_READ_PER_POINT_SENT = 10;

  private static final String ROLLUPS =
      """
      SELECT r.name, r.bucket, r.points, r.first_step, r.first_value, r.last_step, r.last_value,
             r.min_step, r.min_value, r.max_step, r.max_value
      FROM trials t
      LEFT JOIN metric_rollups r
        ON r.trial_id = t.id AND ($2::text[] IS NULL OR r.name = ANY($2))
      WHERE t.id = $1
      ORDER BY r.name, r.bucket""";

  private static final String POINTS =
      """
      SELECT name, step, value FROM metrics
      WHERE trial_id = $1 AND name = ANY($2)
      ORDER BY name, step""";

  private final Pool pool;

  public MetricHistory(Pool pool) {
    this.pool = pool;
  }

  /**
   * The history of a trial's metrics as {@code {trial_id, series: {name: [[step, value], ...]},
   * downsampled}}.
   *
   * @param trialId the trial
   * @param names the metrics to send; null for all of them
   * @param maxPoints the most points per series (M4 downsampled beyond), 0 for every point
   * @return empty when there is no such trial
   */
  public Future<Optional<JsonObject>> history(long trialId, List<String> names, int maxPoints) {
    String[] wanted = names == null ? null : names.toArray(new String[0]);
    return pool.preparedQuery(ROLLUPS)
        .execute(Tuple.tuple().addLong(trialId).addArrayOfString(wanted))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.succeededFuture(Optional.empty())
                    : answer(trialId, names, maxPoints, rollups(rows)).map(Optional::of));
  }

  private Future<JsonObject> answer(
      long trialId, List<String> names, int maxPoints, Rollups rollups) {
    JsonObject series = new JsonObject();
    if (names != null) {
      names.forEach(name -> series.put(name, new JsonArray()));
    }
    List<String> whole = new ArrayList<>();
    List<String> thinned = new ArrayList<>();
    for (Map.Entry<String, List<Summary>> e : rollups.buckets.entrySet()) {
      List<Summary> buckets = e.getValue();
      if (maxPoints == 0 || rollups.points.get(e.getKey()) <= maxPoints) {
        whole.add(e.getKey());
      } else if (buckets.size() >= maxPoints / Downsampler.POINTS_PER_RANGE
          || rollups.points.get(e.getKey()) > (long) MOST_POINTS_READ_PER_POINT_SENT * maxPoints) {
        series.put(e.getKey(), json(Downsampler.m4(buckets, maxPoints)));
      } else {
        thinned.add(e.getKey());
      }
    }
    boolean downsampled = whole.size() < rollups.buckets.size();
    JsonObject out =
        new JsonObject()
            .put("trial_id", trialId)
            .put("series", series)
            .put("downsampled", downsampled);
    if (whole.isEmpty() && thinned.isEmpty()) {
      return Future.succeededFuture(out);
    }
    List<String> pointByPoint = new ArrayList<>(whole);
    pointByPoint.addAll(thinned);
    return pool.preparedQuery(POINTS)
        .execute(
            Tuple.tuple().addLong(trialId).addArrayOfString(pointByPoint.toArray(new String[0])))
        .map(
            rows -> {
              Map<String, List<Summary>> points = pointsByName(rows);
              whole.forEach(n -> series.put(n, json(all(points.getOrDefault(n, List.of())))));
              thinned.forEach(
                  n ->
                      series.put(
                          n, json(Downsampler.m4(points.getOrDefault(n, List.of()), maxPoints))));
              return out;
            });
  }

  /** Each series' stored summaries, in bucket order, and how many points each series holds. */
  private record Rollups(Map<String, List<Summary>> buckets, Map<String, Long> points) {}

  private static Rollups rollups(RowSet<Row> rows) {
    Map<String, List<Summary>> buckets = new LinkedHashMap<>();
    Map<String, Long> points = new LinkedHashMap<>();
    for (Row row : rows) {
      String name = row.getString("name");
      if (name == null) {
        continue;
      }
      buckets
          .computeIfAbsent(name, n -> new ArrayList<>())
          .add(
              new Summary(
                  row.getLong("bucket"),
                  row.getLong("first_step"),
                  row.getDouble("first_value"),
                  row.getLong("last_step"),
                  row.getDouble("last_value"),
                  row.getLong("min_step"),
                  row.getDouble("min_value"),
                  row.getLong("max_step"),
                  row.getDouble("max_value")));
      points.merge(name, (long) row.getInteger("points"), Long::sum);
    }
    return new Rollups(buckets, points);
  }

  private static Map<String, List<Summary>> pointsByName(RowSet<Row> rows) {
    Map<String, List<Summary>> out = new LinkedHashMap<>();
    for (Row row : rows) {
      out.computeIfAbsent(row.getString("name"), n -> new ArrayList<>())
          .add(Summary.point(row.getLong("step"), row.getDouble("value")));
    }
    return out;
  }

  private static List<Point> all(List<Summary> points) {
    List<Point> out = new ArrayList<>(points.size());
    points.forEach(p -> out.add(new Point(p.firstStep(), p.firstValue())));
    return out;
  }

  private static JsonArray json(List<Point> points) {
    JsonArray out = new JsonArray(new ArrayList<>(points.size()));
    points.forEach(p -> out.add(JsonArray.of(p.step(), Rows.number(p.value()))));
    return out;
  }
}
