package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The controls over REST, on an orchestrator without workers: each transition where it applies, a
 * 409 that says why where it does not, a 404 for an unknown id, and the notifications.
 */
class ControlApiTest {

  private static Vertx vertx;
  private static WebClient client;
  private static String api;
  private static Pool pool;
  private static final List<JsonObject> EVENTS = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    TestDatabase db = TestDatabase.create();
    vertx = Vertx.vertx();
    Platform platform =
        await(Platform.start(vertx, PlatformTestSupport.options(db, "--devices", "none")));
    client = WebClient.create(vertx);
    api = platform.apiAddress();
    pool = platform.pool();
    PgSubscriber events =
        PgSubscriber.subscriber(
            vertx,
            new PgConnectOptions()
                .setHost(db.host())
                .setPort(db.port())
                .setDatabase(db.name())
                .setUser(db.user()));
    events.channel("cliplab_events").handler(payload -> EVENTS.add(new JsonObject(payload)));
    await(events.connect());
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  @DisplayName("a sweep pauses, resumes and cancels once each, cancelling its trials, and says so")
  void sweepPausesResumesAndCancels() throws Exception {
    long id = createSweep("controls");

    HttpResponse<Buffer> paused = post("/sweeps/" + id + "/pause");
    HttpResponse<Buffer> pausedTwice = post("/sweeps/" + id + "/pause");
    HttpResponse<Buffer> resumed = post("/sweeps/" + id + "/resume");
    HttpResponse<Buffer> resumedTwice = post("/sweeps/" + id + "/resume");
    HttpResponse<Buffer> cancelled = post("/sweeps/" + id + "/cancel");
    HttpResponse<Buffer> cancelledTwice = post("/sweeps/" + id + "/cancel");
    HttpResponse<Buffer> resumedCancelled = post("/sweeps/" + id + "/resume");

    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.bodyAsJsonObject().getString("status")).isEqualTo("paused");
    assertThat(paused.bodyAsJsonObject().getLong("id")).isEqualTo(id);
    assertThat(pausedTwice.statusCode()).isEqualTo(409);
    assertThat(pausedTwice.bodyAsJsonObject().getString("error"))
        .isEqualTo(
            "sweep " + id + " is paused and cannot be paused; only an active sweep can be paused");
    assertThat(resumed.bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(resumedTwice.statusCode()).isEqualTo(409);
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.bodyAsJsonObject().getInteger("cancelled_trials")).isEqualTo(2);
    assertThat(cancelledTwice.statusCode()).isEqualTo(409);
    assertThat(resumedCancelled.statusCode()).isEqualTo(409);
    assertThat(trialStatuses(id)).containsExactly("cancelled", "cancelled");
    assertThat(post("/sweeps/999999/pause").statusCode()).isEqualTo(404);
    assertThat(post("/sweeps/x/pause").bodyAsJsonObject().getString("field")).isEqualTo("id");
    waitForEvents(id, 3);
    assertThat(sweepEvents(id))
        .containsExactly(
            sweepEvent(id, "paused"), sweepEvent(id, "active"), sweepEvent(id, "cancelled"));
  }

  @Test
  @DisplayName(
      "a trial cancels from queued, retries with an attempt to spare, and refuses the rest")
  void trialCancelsAndRetries() throws Exception {
    long sweep = createSweep("trials");
    List<Long> trials = trialIds(sweep);
    long first = trials.get(0);
    long second = trials.get(1);
    // The second trial has used all of its attempts and failed, as the reaper leaves it.
    await(
        pool.preparedQuery(
                "UPDATE trials SET status = 'failed', attempt = 3, max_attempts = 3 WHERE id = $1")
            .execute(Tuple.of(second)));
    await(
        pool.preparedQuery("UPDATE trials SET status = 'succeeded' WHERE id = $1")
            .execute(Tuple.of(first)));
    HttpResponse<Buffer> retrySucceeded = post("/trials/" + first + "/retry");
    await(
        pool.preparedQuery("UPDATE trials SET status = 'queued' WHERE id = $1")
            .execute(Tuple.of(first)));

    HttpResponse<Buffer> cancelled = post("/trials/" + first + "/cancel");
    HttpResponse<Buffer> cancelledTwice = post("/trials/" + first + "/cancel");
    HttpResponse<Buffer> retried = post("/trials/" + first + "/retry");
    HttpResponse<Buffer> retriedTwice = post("/trials/" + first + "/retry");
    HttpResponse<Buffer> retriedFailed = post("/trials/" + second + "/retry");

    assertThat(retrySucceeded.statusCode()).isEqualTo(409);
    assertThat(retrySucceeded.bodyAsJsonObject().getString("error"))
        .isEqualTo(
            "trial "
                + first
                + " is succeeded and cannot be retried; only a failed, diverged, cancelled or"
                + " pruned trial can");
    assertThat(cancelled.statusCode()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.bodyAsJsonObject().getString("previous_status")).isEqualTo("queued");
    assertThat(cancelledTwice.statusCode()).isEqualTo(409);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("status")).isEqualTo("queued");
    assertThat(retried.bodyAsJsonObject().getInteger("max_attempts")).isEqualTo(3);
    assertThat(retriedTwice.statusCode()).isEqualTo(409);
    // Three attempts used: a fourth is allowed, so that the retry can run.
    assertThat(retriedFailed.bodyAsJsonObject().getInteger("max_attempts")).isEqualTo(4);
    assertThat(retriedFailed.bodyAsJsonObject().getString("previous_status")).isEqualTo("failed");
    assertThat(post("/trials/999999/retry").statusCode()).isEqualTo(404);
    assertThat(post("/trials/999999/cancel").statusCode()).isEqualTo(404);

    assertThat(post("/sweeps/" + sweep + "/cancel").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> retryInCancelled = post("/trials/" + first + "/retry");
    assertThat(retryInCancelled.statusCode()).isEqualTo(409);
    assertThat(retryInCancelled.bodyAsJsonObject().getString("error"))
        .isEqualTo("trial " + first + " belongs to a cancelled sweep and cannot be retried");
  }

  @Test
  @DisplayName("retrying a pruned trial turns the rung that stopped it into a promotion")
  void retryOverridesPruning() throws Exception {
    long sweep = createSweep("pruned");
    long pruned = trialIds(sweep).get(0);
    long other = trialIds(sweep).get(1);
    await(
        pool.preparedQuery(
                "UPDATE trials SET status = 'pruned', attempt = 1, rung = 0 WHERE id = $1")
            .execute(Tuple.of(pruned)));
    String rung =
        "INSERT INTO asha_results (sweep_id, trial_id, rung, value, promoted, competitors, attempt)"
            + " VALUES ($1, $2, $3, 0.5, $4, 1, 1)";
    await(pool.preparedQuery(rung).execute(Tuple.of(sweep, pruned, 0, false)));
    await(pool.preparedQuery(rung).execute(Tuple.of(sweep, other, 0, false)));

    HttpResponse<Buffer> retried = post("/trials/" + pruned + "/retry");

    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject().getString("previous_status")).isEqualTo("pruned");
    List<Boolean> promoted = new ArrayList<>();
    for (Row row :
        await(
            pool.preparedQuery(
                    "SELECT promoted FROM asha_results WHERE sweep_id = $1 ORDER BY trial_id")
                .execute(Tuple.of(sweep)))) {
      promoted.add(row.getBoolean("promoted"));
    }
    // Only the retried trial's decision changes; the other trial stays pruned at its rung.
    assertThat(promoted).containsExactly(true, false);
  }

  @Test
  @DisplayName("GET /api/workers pages and filters the registry, marks lost workers, and releases")
  void workersListAndRelease() throws Exception {
    await(
        pool.query(
                """
                INSERT INTO workers (id, host, device, status, heartbeat_at, heartbeat_ms,
                                     consecutive_failures, quarantine_reason)
                VALUES ('1@a/cpu', 'a', 'cpu', 'idle', now(), 5000, 0, NULL),
                       ('2@a/gpu:0', 'a', 'gpu:0', 'quarantined', now(), 5000, 3, 'three failed'),
                       ('3@b/cpu', 'b', 'cpu', 'busy', now() - interval '16 seconds', 5000, 0, NULL),
                       ('4@b/cpu', 'b', 'cpu', 'stopped', now() - interval '1 hour', 5000, 0, NULL)""")
            .execute());

    JsonObject all = get("/workers");
    JsonObject page = get("/workers?limit=2&offset=1");
    JsonObject lost = get("/workers?status=lost");
    JsonObject quarantined = get("/workers?status=quarantined");
    String encoded = URLEncoder.encode("2@a/gpu:0", StandardCharsets.UTF_8);
    HttpResponse<Buffer> released = post("/workers/" + encoded + "/release");
    HttpResponse<Buffer> releasedTwice = post("/workers/" + encoded + "/release");

    assertThat(all.getLong("total")).isEqualTo(4);
    assertThat(ids(page)).containsExactly("2@a/gpu:0", "3@b/cpu");
    assertThat(page.getLong("total")).isEqualTo(4);
    // Three missed 5 s heartbeats make a worker lost; a stopped one is never lost.
    assertThat(ids(lost)).containsExactly("3@b/cpu");
    JsonArray workers = all.getJsonArray("workers");
    assertThat(workers.getJsonObject(2).getBoolean("lost")).isTrue();
    assertThat(workers.getJsonObject(3).getBoolean("lost")).isFalse();
    assertThat(ids(quarantined)).containsExactly("2@a/gpu:0");
    assertThat(quarantined.getJsonArray("workers").getJsonObject(0).getString("quarantine_reason"))
        .isEqualTo("three failed");
    assertThat(released.statusCode()).isEqualTo(200);
    assertThat(released.bodyAsJsonObject().getString("status")).isEqualTo("idle");
    assertThat(released.bodyAsJsonObject().getInteger("consecutive_failures")).isZero();
    assertThat(releasedTwice.statusCode()).isEqualTo(409);
    assertThat(post("/workers/nobody/release").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> badFilter = await(client.getAbs(api + "/workers?status=asleep").send());
    assertThat(badFilter.statusCode()).isEqualTo(400);
    assertThat(badFilter.bodyAsJsonObject().getString("field")).isEqualTo("status");
  }

  private static long createSweep(String name) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("name", name)
            .put(
                "parameters",
                new JsonObject().put("objective", new JsonArray().add("jsd").add("infonce")))
            .put("fixed", new JsonObject().put("epochs", 1));
    return await(client.postAbs(api + "/sweeps").sendJsonObject(spec))
        .bodyAsJsonObject()
        .getLong("id");
  }

  private static HttpResponse<Buffer> post(String path) throws Exception {
    return await(client.postAbs(api + path).send());
  }

  private static JsonObject get(String path) throws Exception {
    HttpResponse<Buffer> response = await(client.getAbs(api + path).send());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<String> ids(JsonObject page) {
    List<String> out = new ArrayList<>();
    page.getJsonArray("workers").forEach(w -> out.add(((JsonObject) w).getString("id")));
    return out;
  }

  private static List<Long> trialIds(long sweep) throws Exception {
    List<Long> out = new ArrayList<>();
    for (Row row :
        await(
            pool.preparedQuery("SELECT id FROM trials WHERE sweep_id = $1 ORDER BY id")
                .execute(Tuple.of(sweep)))) {
      out.add(row.getLong("id"));
    }
    return out;
  }

  private static List<String> trialStatuses(long sweep) throws Exception {
    List<String> out = new ArrayList<>();
    for (Row row :
        await(
            pool.preparedQuery("SELECT status FROM trials WHERE sweep_id = $1 ORDER BY id")
                .execute(Tuple.of(sweep)))) {
      out.add(row.getString("status"));
    }
    return out;
  }

  private static JsonObject sweepEvent(long id, String status) {
    return new JsonObject().put("type", "sweep").put("sweep_id", id).put("status", status);
  }

  private static List<JsonObject> sweepEvents(long id) {
    synchronized (EVENTS) {
      return EVENTS.stream()
          .filter(e -> "sweep".equals(e.getString("type")) && e.getLong("sweep_id") == id)
          .toList();
    }
  }

  private static void waitForEvents(long id, int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (sweepEvents(id).size() < count && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }
}
