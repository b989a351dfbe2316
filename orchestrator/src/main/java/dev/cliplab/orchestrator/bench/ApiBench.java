package dev.cliplab.orchestrator.bench;

import static dev.cliplab.orchestrator.bench.BenchDatabase.one;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** The API of a running platform: submitting sweeps to an idle worker, and its heaviest reads. */
final class ApiBench {

  /** A trial of one step on the fixture: what is measured ends when it starts running. */
  private static final JsonObject TINY =
      new JsonObject()
          .put("epochs", 1)
          .put("batch_size", 16)
          .put("max_train_images", 16)
          .put("image_size", 16)
          .put("augment", false)
          .put("image_width", 8)
          .put("embed_dim", 32)
          .put("text_hidden", 32)
          .put("text_heads", 2)
          .put("text_layers", 1)
          .put("min_word_count", 1)
          .put("checkpoint_every", 0)
          .put("evaluations", List.of());

  private static final long WAIT_MS = 60_000;

  private final Pool pool;
  private final String api;
  private final HttpClient http = HttpClient.newHttpClient();

  ApiBench(Pool pool, String api) {
    this.pool = pool;
    this.api = api;
  }

  /**
   * Submits sweeps of one trial one after another, each once the worker is idle again, and measures
   * from the trial's creation to its claim by the database's own clock ({@code started_at -
   * created_at}).
   *
   * @return the latencies of the trials that started within a minute; the rest are left out
   */
  Latencies submissionToRunning(int submissions) throws Exception {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; i < submissions; i++) {
      JsonObject spec =
          new JsonObject()
              .put("name", "bench submission " + i)
              .put("parameters", new JsonObject().put("seed", List.of(i)))
              .put("fixed", TINY);
      HttpResponse<String> created = post("/sweeps", spec);
      if (created.statusCode() != 201) {
        throw new IllegalStateException("POST /api/sweeps answered " + created.body());
      }
      long sweep = new JsonObject(created.body()).getLong("id");
      Row started = waitFor(sweep, "started_at IS NOT NULL");
      if (started != null) {
        millis.add(started.getDouble("ms"));
      }
      waitFor(sweep, "status NOT IN ('queued', 'running')");
    }
    return Latencies.of(millis);
  }

  /** How the submitted trials ended, as {@code {status: count}}. */
  JsonObject submittedOutcomes() throws Exception {
    Row row =
        one(
            pool,
            """
            SELECT coalesce(json_object_agg(status, n), '{}')::text AS outcomes
            FROM (SELECT t.status, count(*) AS n FROM trials t JOIN sweeps s ON s.id = t.sweep_id
                  WHERE s.name LIKE 'bench submission %' GROUP BY t.status) c""");
    return new JsonObject(row.getString("outcomes"));
  }

  private Row waitFor(long sweep, String condition) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      Row row =
          one(
              pool,
              "SELECT extract(epoch FROM started_at - created_at)::float8 * 1000 AS ms"
                  + " FROM trials WHERE sweep_id = $1 AND "
                  + condition,
              sweep);
      if (row != null) {
        return row;
      }
      Thread.sleep(5);
    }
    return null;
  }

  /**
   * Inserts a finished sweep of {@code trials} trials, each with a final loss, and returns its id.
   */
  long seedSweep(int trials) throws Exception {
    long sweep = BenchDatabase.sweep(pool, "bench read sweep");
    one(
        pool,
        """
        INSERT INTO trials (sweep_id, params, params_hash, status, attempt, created_at,
                            started_at, finished_at)
        SELECT $1, jsonb_build_object('batch_size', 16 * (1 + i % 8), 'seed', i), 'r' || i,
               CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END, 1,
               now() - interval '1 hour', now() - interval '50 minutes', now()
        FROM generate_series(1, $2) i""",
        sweep,
        trials);
    one(
        pool,
        "INSERT INTO metrics (trial_id, name, step, value, attempt)"
            + " SELECT id, 'loss', 100, 1.0 / id, 1 FROM trials WHERE sweep_id = $1",
        sweep);
    return sweep;
  }

  /** Inserts a finished trial with {@code points} points over five metrics and returns its id. */
  long seedMetrics(int points) throws Exception {
    long sweep = BenchDatabase.sweep(pool, "bench read metrics");
    long trial =
        one(
                pool,
                "INSERT INTO trials (sweep_id, params, params_hash, status, attempt)"
                    + " VALUES ($1, '{}', 'p', 'succeeded', 1) RETURNING id",
                sweep)
            .getLong("id");
    one(
        pool,
        """
        INSERT INTO metrics (trial_id, name, step, value, attempt)
        SELECT $1, n, s, sin(s / 1000.0) + random() * 0.1, 1
        FROM unnest(ARRAY['loss', 'mi_estimate', 'temperature', 'learning_rate',
                          'images_per_sec']) n,
             generate_series(1, $2) s""",
        trial,
        points / 5);
    return trial;
  }

  /**
   * GETs {@code path} {@code count} times after three unmeasured warm-up reads, stopping early once
   * a minute of reading has passed.
   */
  Latencies read(String path, int count) throws Exception {
    for (int i = 0; i < 3; i++) {
      get(path);
    }
    List<Double> millis = new ArrayList<>();
    long deadline = System.currentTimeMillis() + WAIT_MS;
    for (int i = 0; i < count && System.currentTimeMillis() < deadline; i++) {
      long started = System.nanoTime();
      get(path);
      millis.add((System.nanoTime() - started) / 1e6);
    }
    return Latencies.of(millis);
  }

  /** The size of one answer to {@code path}, in bytes. */
  int bytes(String path) throws Exception {
    return get(path).length();
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(api + path)).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  private HttpResponse<String> post(String path, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
