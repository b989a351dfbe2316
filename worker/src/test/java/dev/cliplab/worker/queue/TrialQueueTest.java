package dev.cliplab.worker.queue;

import static dev.cliplab.worker.queue.TestPools.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TrialQueueTest extends QueueTestBase {

  @Test
  @DisplayName("sixteen claimers racing over 300 trials claim each trial exactly once")
  void claimRaceClaimsEachTrialOnce() throws Exception {
    insertTrials(300, 0);
    ConcurrentHashMap<Long, String> claimedBy = new ConcurrentHashMap<>();
    List<String> doubleClaims = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> claimers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String holder = "claimer-" + i;
      claimers.add(claimUntilEmpty(holder, claimedBy, doubleClaims));
    }
    await(Future.all(claimers));

    assertThat(doubleClaims).isEmpty();
    assertThat(claimedBy).hasSize(300);
    Row row =
        await(
                pool.query(
                        "SELECT count(*) AS n, max(attempt) AS a FROM trials WHERE status = 'running'")
                    .execute())
            .iterator()
            .next();
    assertThat(row.getLong("n")).isEqualTo(300);
    assertThat(row.getInteger("a")).isEqualTo(1);
    assertThat(claimedBy.values().stream().distinct().count()).isGreaterThan(1);
  }

  private Future<Void> claimUntilEmpty(
      String holder, ConcurrentHashMap<Long, String> claimedBy, List<String> doubleClaims) {
    return queue
        .claim(holder, LEASE)
        .compose(
            claimed -> {
              if (claimed.isEmpty()) {
                return Future.succeededFuture();
              }
              String previous = claimedBy.putIfAbsent(claimed.get().id(), holder);
              if (previous != null) {
                doubleClaims.add(claimed.get().id() + " by " + previous + " and " + holder);
              }
              return claimUntilEmpty(holder, claimedBy, doubleClaims);
            });
  }

  @Test
  @DisplayName("claims follow priority, then age, and an empty queue claims nothing")
  void claimsByPriorityThenAge() throws Exception {
    List<Long> low = insertTrials(2, 0);
    List<Long> high = insertTrials(1, 5);

    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      order.add(await(queue.claim("w", LEASE)).orElseThrow().id());
    }

    assertThat(order).containsExactly(high.get(0), low.get(0), low.get(1));
    assertThat(await(queue.claim("w", LEASE))).isEmpty();
  }

  @Test
  @DisplayName("an expired lease goes back to the queue and the old attempt can no longer write")
  void expiredLeaseIsRequeuedAndFencesTheOldAttempt() throws Exception {
    insertTrials(1, 0);
    ClaimedTrial first = await(queue.claim("zombie", Duration.ofMillis(1))).orElseThrow();
    Thread.sleep(20);

    int reaped = await(queue.reapExpiredLeases());
    ClaimedTrial second = await(queue.claim("healthy", LEASE)).orElseThrow();

    assertThat(reaped).isEqualTo(1);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.attempt()).isEqualTo(first.attempt() + 1);
    assertThat(await(queue.renew(first, "zombie", LEASE))).isFalse();
    assertThat(await(queue.recordMetrics(first, List.of(new MetricPoint("loss", 1, 9.0)))))
        .isZero();
    assertThat(await(queue.finish(first, "succeeded", null))).isFalse();
    assertThat(
            await(
                queue.recordMetrics(
                    second,
                    List.of(
                        new MetricPoint("loss", 1, 0.5), new MetricPoint("loss", 2, Double.NaN)))))
        .isEqualTo(2);
    assertThat(await(queue.finish(second, "succeeded", null))).isTrue();
    Row row =
        await(
                pool.preparedQuery("SELECT status, attempt FROM trials WHERE id = $1")
                    .execute(Tuple.of(first.id())))
            .iterator()
            .next();
    assertThat(row.getString("status")).isEqualTo("succeeded");
    assertThat(row.getInteger("attempt")).isEqualTo(2);
  }

  @Test
  @DisplayName("a trial handed back on shutdown is queued again without using up an attempt")
  void releasedTrialIsQueuedAgain() throws Exception {
    insertTrials(1, 0);
    await(pool.query("UPDATE trials SET max_attempts = 1").execute());
    ClaimedTrial first = await(queue.claim("w", LEASE)).orElseThrow();

    boolean released = await(queue.release(first));
    ClaimedTrial second = await(queue.claim("w2", LEASE)).orElseThrow();

    assertThat(released).isTrue();
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(await(queue.release(first))).isFalse();
    Row row =
        await(pool.query("SELECT status, max_attempts FROM trials").execute()).iterator().next();
    assertThat(row.getString("status")).isEqualTo("running");
    assertThat(row.getInteger("max_attempts")).isEqualTo(2);
  }

  @Test
  @DisplayName("a trial whose last allowed attempt loses its lease fails with a reason")
  void lastAttemptExpiringFailsTheTrial() throws Exception {
    insertTrials(1, 0);
    await(pool.query("UPDATE trials SET max_attempts = 1").execute());
    await(queue.claim("w", Duration.ofMillis(1)));
    Thread.sleep(20);

    await(queue.reapExpiredLeases());

    Row row = await(pool.query("SELECT status, error FROM trials").execute()).iterator().next();
    assertThat(row.getString("status")).isEqualTo("failed");
    assertThat(row.getString("error")).contains("lease of w expired");
    assertThat(await(queue.claim("w", LEASE))).isEqualTo(Optional.empty());
  }

  private static List<Long> insertTrials(int count, int priority) throws Exception {
    long sweep =
        await(
                pool.query("INSERT INTO sweeps (name, spec) VALUES ('t', '{}') RETURNING id")
                    .execute())
            .iterator()
            .next()
            .getLong("id");
    return TestPools.insertTrials(pool, sweep, count, priority);
  }
}
