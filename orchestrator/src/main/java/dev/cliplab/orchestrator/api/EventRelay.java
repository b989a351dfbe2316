package dev.cliplab.orchestrator.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's one {@code LISTEN cliplab_events} connection: it publishes every notification
 * the database sends on the event bus at {@link #ADDRESS}, whence each open event stream takes what
 * its client asked for. It reconnects after a lost connection, every second.
 */
public final class EventRelay {

  /** The event bus address the notifications are published at, as their JSON text. */
  public static final String ADDRESS = "cliplab.events";

  static final String CHANNEL = "cliplab_events";
  private static final long RECONNECT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

  private final PgSubscriber subscriber;

  private EventRelay(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  /**
   * Connects and listens.
   *
   * @return completes once the database has taken the {@code LISTEN}
   */
  public static Future<EventRelay> start(Vertx vertx, PgConnectOptions connect) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, connect);
    Promise<Void> listening = Promise.promise();
    subscriber.reconnectPolicy(
        retries -> {
          LOG.warn("Lost the database connection that listens for events; reconnecting");
          return RECONNECT_MS;
        });
    subscriber
        .channel(CHANNEL)
        .subscribeHandler(v -> listening.tryComplete())
        .handler(payload -> vertx.eventBus().publish(ADDRESS, payload));
    return subscriber.connect().compose(v -> listening.future()).map(new EventRelay(subscriber));
  }

  /** Stops listening. */
  public Future<Void> close() {
    return subscriber.close();
  }
}
