package dev.cliplab.worker.queue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for ASHA's rung results ({@code asha_results}). A trial reaching a rung is judged in one
 * transaction that holds an advisory lock on its sweep and rung, so trials arriving at once are
 * judged one after another, each against all who came before it; the result is written with the
 * attempt fence, and a trial asking again about a rung gets the decision stored the first time.
 */
final class AshaRungs {

  /**
   * What was decided for a trial at a rung.
   *
   * @param promoted whether it goes on
   * @param competitors the results the rung held when it was judged, its own included
   * @param stale true when the claim was stale and nothing was written
   */
  record Decision(boolean promoted, int competitors, boolean stale) {}

  private static final String PLAN = "SELECT spec, metric, goal FROM sweeps WHERE id = $1";

  // Two-key form: the sweep's id folded to int4, then the rung. Two sweeps folding to one key only
  // wait for each other a little longer.
  private static final String LOCK = "SELECT pg_advisory_xact_lock($1::int4, $2::int4)";

  private static final String STORED =
      "SELECT promoted, competitors FROM asha_results WHERE trial_id = $1 AND rung = $2";

  private static final String VALUES =
      "SELECT value FROM asha_results WHERE sweep_id = $1 AND rung = $2";

  private static final String INSERT =
      """
      INSERT INTO asha_results (sweep_id, trial_id, rung, value, promoted, competitors, attempt)
      SELECT $1, $2, $3, $4, $5, $6, $7
      WHERE EXISTS (SELECT 1 FROM trials WHERE id = $2 AND attempt = $7 AND status = 'running')""";

  private static final String MARK_RUNG =
      "UPDATE trials SET rung = $3 WHERE id = $1 AND attempt = $2 AND status = 'running'";

  private final Pool pool;

  AshaRungs(Pool pool) {
    this.pool = pool;
  }

  /** The early-stopping plan of a trial's sweep; empty for a sweep whose search is not asha. */
  Future<Optional<AshaPlan>> plan(long sweepId) {
    return pool.preparedQuery(PLAN)
        .execute(Tuple.of(sweepId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return AshaPlan.ofSweep(
                  row.getJsonObject("spec"), row.getString("metric"), row.getString("goal"));
            });
  }

  /**
   * Records a trial's value at a rung and decides whether it is promoted; a trial that already has
   * a result at the rung gets the decision made then, whatever arrived since. The trial's {@code
   * rung} becomes this rung either way: the highest passed, or where it stops.
   */
  Future<Decision> judge(ClaimedTrial trial, AshaPlan plan, int rung, double value) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(LOCK)
                .execute(Tuple.of(Long.hashCode(trial.sweepId()), rung))
                .compose(locked -> conn.preparedQuery(STORED).execute(Tuple.of(trial.id(), rung)))
                .compose(
                    stored -> {
                      if (stored.size() > 0) {
                        Row row = stored.iterator().next();
                        return Future.succeededFuture(
                            new Decision(
                                row.getBoolean("promoted"), row.getInteger("competitors"), false));
                      }
                      return decide(conn, trial, plan, rung, value);
                    }));
  }

  private Future<Decision> decide(
      SqlConnection conn, ClaimedTrial trial, AshaPlan plan, int rung, double value) {
    return conn.preparedQuery(VALUES)
        .execute(Tuple.of(trial.sweepId(), rung))
        .compose(
            rows -> {
              List<Double> others = new ArrayList<>();
              rows.forEach(r -> others.add(r.getDouble("value")));
              Decision decision =
                  new Decision(plan.promotes(value, others), others.size() + 1, false);
              Tuple insert =
                  Tuple.of(
                      trial.sweepId(),
                      trial.id(),
                      rung,
                      value,
                      decision.promoted(),
                      decision.competitors(),
                      trial.attempt());
              return conn.preparedQuery(INSERT)
                  .execute(insert)
                  .compose(
                      written ->
                          written.rowCount() == 0
                              ? Future.succeededFuture(new Decision(false, 0, true))
                              : conn.preparedQuery(MARK_RUNG)
                                  .execute(Tuple.of(trial.id(), trial.attempt(), rung))
                                  .map(done -> decision));
            });
  }
}
