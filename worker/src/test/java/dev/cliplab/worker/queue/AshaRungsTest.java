package dev.cliplab.worker.queue;

import static dev.cliplab.worker.queue.TestPools.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** ASHA's rung decisions against the real PostgreSQL. */
class AshaRungsTest extends QueueTestBase {

  private final AshaRungs rungs = new AshaRungs(pool);

  @Test
  @DisplayName("trials reaching rung 0 one by one are promoted or pruned as worked out by hand")
  void sequentialArrivals() throws Exception {
    List<ClaimedTrial> trials = claimAsha(4, 3);
    AshaPlan plan = await(rungs.plan(trials.get(0).sweepId())).orElseThrow();
    double[] values = {0.9, 0.5, 0.7, 0.4};

    List<AshaRungs.Decision> decisions = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      decisions.add(await(rungs.judge(trials.get(i), plan, 0, values[i])));
    }

    // n=1, 2: nobody is promotable yet; n=3: 0.5 beats 0.7 and the quota is 1; n=4: 0.4 is best.
    assertThat(decisions)
        .containsExactly(
            new AshaRungs.Decision(false, 1, false),
            new AshaRungs.Decision(false, 2, false),
            new AshaRungs.Decision(false, 3, false),
            new AshaRungs.Decision(true, 4, false));
    assertThat(column("SELECT rung FROM trials ORDER BY id", "rung")).containsExactly(0, 0, 0, 0);
    assertThat(column("SELECT promoted FROM asha_results ORDER BY trial_id", "promoted"))
        .containsExactly(false, false, false, true);
  }

  @Test
  @DisplayName("a trial asking again about a rung gets its first decision and its value is kept")
  void askingAgainReusesTheDecision() throws Exception {
    List<ClaimedTrial> trials = claimAsha(4, 3);
    AshaPlan plan = await(rungs.plan(trials.get(0).sweepId())).orElseThrow();
    await(rungs.judge(trials.get(0), plan, 0, 0.9));
    for (int i = 1; i < 4; i++) {
      await(rungs.judge(trials.get(i), plan, 0, 1.0 + i));
    }

    // Judged afresh, 0.1 among four results would be promoted; the stored decision stands.
    AshaRungs.Decision again = await(rungs.judge(trials.get(0), plan, 0, 0.1));

    assertThat(again).isEqualTo(new AshaRungs.Decision(false, 1, false));
    assertThat(column("SELECT value FROM asha_results ORDER BY trial_id", "value"))
        .containsExactly(0.9, 2.0, 3.0, 4.0);
  }

  @Test
  @DisplayName("a stale attempt reaching a rung writes nothing and is told so")
  void staleAttemptIsFenced() throws Exception {
    ClaimedTrial first = claimAsha(1, 3).get(0);
    await(pool.query("UPDATE trials SET status = 'queued'").execute());
    ClaimedTrial second = await(queue.claim("w2", LEASE)).orElseThrow();
    AshaPlan plan = await(rungs.plan(first.sweepId())).orElseThrow();

    AshaRungs.Decision stale = await(rungs.judge(first, plan, 0, 0.5));

    assertThat(second.attempt()).isEqualTo(first.attempt() + 1);
    assertThat(stale.stale()).isTrue();
    assertThat(column("SELECT count(*) AS n FROM asha_results", "n")).containsExactly(0L);
    assertThat(column("SELECT rung FROM trials", "rung")).containsExactly((Object) null);
  }

  @Test
  @DisplayName(
      "eight trials reaching one rung at once are judged one after another, each seeing all before")
  void concurrentArrivalsSeeEachOther() throws Exception {
    List<ClaimedTrial> trials = claimAsha(8, 2);
    AshaPlan plan = await(rungs.plan(trials.get(0).sweepId())).orElseThrow();
    double[] values = {0.8, 0.3, 0.6, 0.1, 0.7, 0.2, 0.5, 0.4};

    List<Future<AshaRungs.Decision>> racing = new ArrayList<>();
    for (int i = 0; i < trials.size(); i++) {
      racing.add(rungs.judge(trials.get(i), plan, 0, values[i]));
    }
    await(Future.all(racing));

    // Serialised, the arrivals saw 1, 2, ..., 8 results; and replaying the values in the order
    // they were judged through the rule gives the decisions that were stored.
    List<Integer> order =
        IntStream.range(0, trials.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> racing.get(i).result().competitors()))
            .toList();
    assertThat(order.stream().map(i -> racing.get(i).result().competitors()))
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    List<Double> before = new ArrayList<>();
    for (int i : order) {
      assertThat(racing.get(i).result().promoted())
          .as("trial %d with %s", i, values[i])
          .isEqualTo(plan.promotes(values[i], before));
      before.add(values[i]);
    }
  }

  /** A sweep of asha trials, all claimed; ordered by id. */
  private static List<ClaimedTrial> claimAsha(int count, int eta) throws Exception {
    JsonObject spec =
        new JsonObject()
            .put("search", "asha")
            .put("asha", new JsonObject().put("reduction_factor", eta).put("min_epochs", 1));
    long sweep =
        await(
                pool.preparedQuery(
                        "INSERT INTO sweeps (name, spec, metric, goal)"
                            + " VALUES ('asha', $1, 'epoch_loss', 'minimize') RETURNING id")
                    .execute(Tuple.of(spec)))
            .iterator()
            .next()
            .getLong("id");
    for (int i = 0; i < count; i++) {
      await(
          pool.preparedQuery(
                  "INSERT INTO trials (sweep_id, params, params_hash) VALUES ($1, $2, $3)")
              .execute(Tuple.of(sweep, new JsonObject().put("epochs", 9).put("seed", i), "h" + i)));
    }
    List<ClaimedTrial> claimed = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      claimed.add(await(queue.claim("w", LEASE)).orElseThrow());
    }
    return claimed;
  }

  private static List<Object> column(String sql, String name) throws Exception {
    List<Object> out = new ArrayList<>();
    for (Row row : await(pool.query(sql).execute())) {
      out.add(row.getValue(name));
    }
    return out;
  }
}
