package dev.cliplab.worker.queue;

import static dev.cliplab.worker.queue.TestPools.await;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A fresh database per test class, emptied of sweeps and trials before every test. */
abstract class QueueTestBase {

  static final Duration LEASE = Duration.ofSeconds(30);
  static Vertx vertx;
  static Pool pool;
  static TrialQueue queue;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pool = TestPools.create(vertx);
    queue = new TrialQueue(pool);
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void emptyQueue() throws Exception {
    await(pool.query("TRUNCATE sweeps CASCADE").execute());
  }
}
