package dev.cliplab.orchestrator.api;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /api/events}: Server-Sent Events of the changes {@link EventRelay} hears, one {@code
 * event: <type>} and {@code data: <json>} pair per change, optionally only those of one sweep or
 * one trial, with a comment every 15 seconds so that proxies keep the connection open.
 */
final class EventStream implements Handler<RoutingContext> {

  static final long HEARTBEAT_MS = 15_000;

  private final Vertx vertx;
  private final AtomicInteger open = new AtomicInteger();

  EventStream(Vertx vertx) {
    this.vertx = vertx;
  }

  /** How many clients are connected now. */
  int open() {
    return open.get();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Long sweepId = QueryParams.optionalLong(ctx, "sweep_id");
    Long trialId = QueryParams.optionalLong(ctx, "trial_id");
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.write(": connected\n\n");
    MessageConsumer<String> consumer =
        vertx
            .eventBus()
            .consumer(
                EventRelay.ADDRESS,
                message -> forward(response, new JsonObject(message.body()), sweepId, trialId));
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, t -> response.write(": heartbeat\n\n"));
    open.incrementAndGet();
    response.closeHandler(
        v -> {
          vertx.cancelTimer(heartbeat);
          consumer.unregister();
          open.decrementAndGet();
        });
  }

  private static void forward(
      HttpServerResponse response, JsonObject event, Long sweepId, Long trialId) {
    if (sweepId != null && !sweepId.equals(event.getLong("sweep_id"))
        || trialId != null && !trialId.equals(event.getLong("trial_id"))) {
      return;
    }
    // A client that cannot keep up loses metric batches, never state changes.
    String type = (String) event.remove("type");
    if ("metrics".equals(type) && response.writeQueueFull()) {
      return;
    }
    response.write("event: " + type + "\ndata: " + event.encode() + "\n\n");
  }
}
