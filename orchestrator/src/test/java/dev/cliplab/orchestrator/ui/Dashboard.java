package dev.cliplab.orchestrator.ui;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import dev.cliplab.orchestrator.Platform;
import dev.cliplab.orchestrator.PlatformTestSupport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** A platform on a fresh database, a REST client for it and a browser on its dashboard. */
final class Dashboard implements AutoCloseable {

  private final Vertx vertx;
  private final WebClient client;
  private final String api;
  private final Browser browser;

  private Dashboard(Vertx vertx, Platform platform) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.api = platform.apiAddress();
    this.browser = new Browser(api.substring(0, api.length() - "/api".length()));
  }

  /** Starts a platform with the given command-line flags, e.g. {@code --devices none}. */
  static Dashboard start(String... flags) throws Exception {
    return start(TestDatabase.create(), flags);
  }

  /** Starts a platform on a database the caller has created (and perhaps filled). */
  static Dashboard start(TestDatabase db, String... flags) throws Exception {
    Vertx vertx = Vertx.vertx();
    Platform platform = await(Platform.start(vertx, PlatformTestSupport.options(db, flags)));
    return new Dashboard(vertx, platform);
  }

  Browser browser() {
    return browser;
  }

  /** GET of an API path such as {@code /sweeps/1}, as JSON. */
  JsonObject get(String path) throws Exception {
    return getRaw(path).bodyAsJsonObject();
  }

  /** GET of an API path, with the whole answer. */
  HttpResponse<Buffer> getRaw(String path) throws Exception {
    return await(client.getAbs(api + path).send());
  }

  /** POST of JSON to an API path, with the whole answer. */
  HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return await(client.postAbs(api + path).sendJsonObject(body));
  }

  /** Submits a sweep spec and returns the new sweep's id. */
  long submit(JsonObject spec) throws Exception {
    HttpResponse<Buffer> created = post("/sweeps", spec);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getLong("id");
  }

  /** Polls the sweep until it has finished, for at most the given time; returns its last state. */
  JsonObject waitUntilFinished(long sweepId, int seconds) throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (true) {
      JsonObject sweep = get("/sweeps/" + sweepId);
      if ("finished".equals(sweep.getString("status")) || System.currentTimeMillis() > deadline) {
        return sweep;
      }
      Thread.sleep(500);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      browser.close();
    } finally {
      await(vertx.close());
    }
  }
}
