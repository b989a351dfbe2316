package dev.cliplab.orchestrator.bench;

import static dev.cliplab.orchestrator.bench.BenchDatabase.await;

import dev.cliplab.orchestrator.Platform;
import dev.cliplab.orchestrator.PlatformOptions;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the orchestrator on a database of its own: (1) claims per second through the queue, (2)
 * submission to a running trial on an idle worker, (3) metric points written per second, and (4)
 * the API's reads of a large sweep and of a long metric history; each against its target.
 */
@Command(name = "orchestrator-bench", mixinStandardHelpOptions = true)
public final class OrchestratorBench implements Callable<Integer> {

  @Option(names = "--pg-host", defaultValue = "${env:CLIPLAB_PG_HOST:-127.0.0.1}")
  String pgHost;

  @Option(names = "--pg-port", defaultValue = "${env:CLIPLAB_PG_PORT:-5432}")
  int pgPort;

  @Option(names = "--pg-user", defaultValue = "${env:CLIPLAB_PG_USER:-postgres}")
  String pgUser;

  @Option(names = "--claims", defaultValue = "20000", description = "No-op trials to claim.")
  int claims;

  @Option(names = "--claimers", defaultValue = "16", description = "Concurrent claimers.")
  int claimers;

  @Option(names = "--submissions", defaultValue = "200", description = "Sweeps submitted.")
  int submissions;

  @Option(names = "--metric-points", defaultValue = "500000", description = "Points written.")
  int metricPoints;

  @Option(names = "--metric-batch", defaultValue = "1000", description = "Points per statement.")
  int metricBatch;

  @Option(
      names = "--sweep-trials",
      defaultValue = "10000",
      description = "Trials of the read sweep.")
  int sweepTrials;

  @Option(names = "--history-points", defaultValue = "1000000", description = "Points read.")
  int historyPoints;

  @Option(names = "--reads", defaultValue = "100", description = "Measured reads of each.")
  int reads;

  @Option(
      names = "--corpus",
      defaultValue = "worker/src/test/resources/fixture",
      description = "Corpus the worker trains the submitted one-step trials on.")
  Path corpus;

  private final String password = System.getenv().getOrDefault("CLIPLAB_PG_PASSWORD", "");

  public static void main(String[] args) {
    System.exit(new CommandLine(new OrchestratorBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "orchestrator bench: %d cores, load average %.2f, PostgreSQL %s:%d%n",
        Runtime.getRuntime().availableProcessors(),
        load(),
        pgHost,
        pgPort);
    Path scratch = Files.createTempDirectory("cliplab-bench");
    try (BenchDatabase db = BenchDatabase.create(pgHost, pgPort, pgUser, password)) {
      run(db, scratch);
    } finally {
      deleteTree(scratch);
    }
    System.out.printf(Locale.ROOT, "load average at the end %.2f%n", load());
    return 0;
  }

  private void run(BenchDatabase db, Path scratch) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = db.pool(vertx, claimers);
    QueueBench queue = new QueueBench(pool);
    double claimed = queue.claimsPerSecond(claims, claimers);
    report(
        String.format(
            Locale.ROOT,
            "(1) claims: %,d trials, %d claimers: %,.0f claims/s",
            claims,
            claimers,
            claimed),
        ">= 1,000/s",
        claimed >= 1000);
    double written = queue.metricPointsPerSecond(metricPoints, metricBatch);
    report(
        String.format(
            Locale.ROOT,
            "(3) metrics: %,d points in batches of %,d: %,.0f points/s",
            metricPoints,
            metricBatch,
            written),
        ">= 50,000/s",
        written >= 50_000);

    Platform platform = await(Platform.start(vertx, platformOptions(db, scratch)));
    try {
      ApiBench api = new ApiBench(pool, platform.apiAddress());
      Latencies submitted = api.submissionToRunning(submissions);
      report(
          "(2) submission -> running on an idle cpu worker: "
              + submitted
              + "; the trials ended "
              + api.submittedOutcomes().encode(),
          "p99 < 100 ms",
          submitted.count() == submissions && submitted.p99() < 100);
      readLatencies(api, pool);
    } finally {
      await(platform.stop());
    }
  }

  private void readLatencies(ApiBench api, Pool pool) throws Exception {
    long sweep = api.seedSweep(sweepTrials);
    long trial = api.seedMetrics(historyPoints);
    // Bulk inserts leave the planner without statistics until autovacuum comes round.
    await(pool.query("ANALYZE trials").execute());
    await(pool.query("ANALYZE metrics").execute());
    String sweepPath = "/sweeps/" + sweep;
    Latencies sweepRead = api.read(sweepPath, reads);
    report(
        String.format(
            Locale.ROOT,
            "(4) GET /api/sweeps/{id}, %,d trials (%,d bytes): %s",
            sweepTrials,
            api.bytes(sweepPath),
            sweepRead),
        "p99 < 50 ms",
        sweepRead.p99() < 50);
    String metricsPath = "/trials/" + trial + "/metrics";
    Latencies metricsRead = api.read(metricsPath, reads);
    report(
        String.format(
            Locale.ROOT,
            "(4) GET /api/trials/{id}/metrics, %,d points (%,d bytes): %s",
            historyPoints,
            api.bytes(metricsPath),
            metricsRead),
        "p99 < 100 ms",
        metricsRead.p99() < 100);
  }

  private PlatformOptions platformOptions(BenchDatabase db, Path scratch) throws IOException {
    if (!Files.isDirectory(corpus)) {
      System.out.println("no corpus at " + corpus + ": every submitted trial will fail at once");
    }
    PlatformOptions options = new PlatformOptions();
    new CommandLine(options)
        .parseArgs(
            "--pg-host", db.host(),
            "--pg-port", String.valueOf(db.port()),
            "--pg-user", db.user(),
            "--pg-database", db.name(),
            "--http-port", "0",
            "--devices", "cpu",
            "--data", corpus.toString(),
            "--work-dir", scratch.resolve("runs").toString());
    return options;
  }

  private static void report(String measured, String target, boolean met) {
    System.out.printf(
        Locale.ROOT, "%s  [target %s: %s]%n", measured, target, met ? "met" : "MISSED");
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
