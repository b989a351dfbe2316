package dev.cliplab.worker.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's ears on the database: {@code LISTEN cliplab_trials} (new work is queued) and {@code
 * LISTEN cliplab_events} (a trial, sweep or worker changed state), over one connection that
 * reconnects by itself. Handlers run on the context that created this object.
 */
final class QueueSignals {

  /** Channel that announces queued work. */
  static final String WORK = "cliplab_trials";

  /** Channel that announces state changes as JSON objects with a {@code type}. */
  static final String EVENTS = "cliplab_events";

  private static final Logger LOG = LoggerFactory.getLogger(QueueSignals.class);
  private static final long RECONNECT_MS = 1_000;

  private final PgSubscriber subscriber;

  /**
   * Prepares the subscriptions.
   *
   * @param vertx the Vert.x instance
   * @param connect where the database is
   * @param onWork called when work may be waiting: on a notification and after each (re)subscribe,
   *     since notifications sent while disconnected are lost
   * @param onEvent called with each state change
   */
  QueueSignals(
      Vertx vertx, PgConnectOptions connect, Runnable onWork, Handler<JsonObject> onEvent) {
    Context context = vertx.getOrCreateContext();
    subscriber = PgSubscriber.subscriber(vertx, connect).reconnectPolicy(retries -> RECONNECT_MS);
    subscriber
        .channel(WORK)
        .subscribeHandler(v -> context.runOnContext(x -> onWork.run()))
        .handler(payload -> context.runOnContext(x -> onWork.run()));
    subscriber
        .channel(EVENTS)
        .handler(payload -> context.runOnContext(x -> dispatch(payload, onEvent)));
  }

  private static void dispatch(String payload, Handler<JsonObject> onEvent) {
    try {
      onEvent.handle(new JsonObject(payload));
    } catch (DecodeException e) {
      LOG.debug("Ignoring a notification that is not a JSON object: {}", payload);
    }
  }

  /** Connects and subscribes. */
  Future<Void> start() {
    return subscriber.connect();
  }

  /** Unsubscribes and closes the connection. */
  Future<Void> close() {
    return subscriber.close();
  }
}
