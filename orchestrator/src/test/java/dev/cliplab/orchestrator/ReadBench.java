package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.util.Arrays;

/**
 * Measures the read side of the API at scale: a sweep of 10,000 trials (each with three training
 * metrics of five points and, when succeeded, two evaluations) and a metric series of 1,000,000
 * points, on a fresh database. Prints p50 and p99 latency of each request over sequential runs.
 */
public final class ReadBench {

  private static final int RUNS = 200;

  private ReadBench() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Platform platform = PlatformTestSupport.apiOnly(vertx);
    Pool pool = platform.pool();
    long start = System.nanoTime();
    fill(pool);
    System.out.printf("fixture written in %.1f s%n", (System.nanoTime() - start) / 1e9);
    WebClient client = WebClient.create(vertx);
    String api = platform.apiAddress();
    String[] paths = {
      "/sweeps/1",
      "/sweeps",
      "/sweeps/1/trials?limit=100&offset=9900",
      "/sweeps/1/trials?sort=params.batch_size&order=desc",
      "/sweeps/1/trials?sort=metrics.loss",
      "/sweeps/1/trials?sort=eval.final.voc_emoji.map&order=desc",
      "/sweeps/1/trials?status=failed,diverged",
      "/trials/1/metrics?name=loss",
      "/trials/1/metrics?name=loss&points=4000",
    };
    for (String path : paths) {
      long[] nanos = new long[RUNS];
      for (int i = -20; i < RUNS; i++) {
        long t0 = System.nanoTime();
        HttpResponse<Buffer> response = await(client.getAbs(api + path).send());
        long t1 = System.nanoTime();
        if (response.statusCode() != 200) {
          throw new IllegalStateException(path + " answered " + response.statusCode());
        }
        if (i >= 0) {
          nanos[i] = t1 - t0;
        }
      }
      Arrays.sort(nanos);
      System.out.printf(
          "%-60s p50 %6.1f ms  p99 %6.1f ms%n",
          path, nanos[RUNS / 2] / 1e6, nanos[RUNS * 99 / 100 - 1] / 1e6);
    }
    await(vertx.close());
  }

  private static void fill(Pool pool) throws Exception {
    String[] statements = {
      "INSERT INTO sweeps (name, spec, metric, goal) VALUES ('big', '{}', 'final.voc_emoji.map',"
          + " 'maximize')",
      // Trial 1 (queued first) carries the long series.
      """
      INSERT INTO trials (sweep_id, params, params_hash, status, attempt)
      SELECT 1,
             jsonb_build_object('batch_size', 16 * (1 + i % 8), 'learning_rate', 1e-4 * (1 + i % 50),
                                'objective', (ARRAY['jsd', 'infonce', 'nwj', 'dv'])[1 + i % 4]),
             md5(i::text),
             (ARRAY['succeeded', 'succeeded', 'succeeded', 'failed', 'diverged', 'queued',
                    'running', 'pruned'])[1 + i % 8],
             1
      FROM generate_series(0, 9999) i""",
      """
      INSERT INTO metrics (trial_id, name, step, value, attempt)
      SELECT t.id, n.name, s.step, random(), 1
      FROM trials t, (VALUES ('loss'), ('mi_estimate'), ('learning_rate')) n(name),
           generate_series(100, 500, 100) s(step)
      WHERE t.id > 1""",
      """
      INSERT INTO evaluations (trial_id, phase, task, metric, value, attempt)
      SELECT t.id, 'final', m.task, m.metric, random(), 1
      FROM trials t,
           (VALUES ('voc_emoji', 'map'), ('zeroshot_emoji_groups', 'top1')) m(task, metric)
      WHERE t.status = 'succeeded'""",
      """
      INSERT INTO metrics (trial_id, name, step, value, attempt)
      SELECT 1, 'loss', s, 2 * exp(-s / 200000.0) + 0.1 * random(), 1
      FROM generate_series(0, 999999) s""",
      "ANALYZE",
    };
    for (String sql : statements) {
      await(pool.query(sql).execute());
    }
  }
}
