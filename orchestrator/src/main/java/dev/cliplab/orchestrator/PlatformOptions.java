package dev.cliplab.orchestrator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Every setting of a running platform. Each flag defaults to an environment variable and then to a
 * value that works with PostgreSQL on localhost; the README's configuration table lists them.
 */
public final class PlatformOptions {

  @Option(
      names = "--http-host",
      defaultValue = "${env:CLIPLAB_HTTP_HOST:-127.0.0.1}",
      description =
          "Interface the API listens on (env CLIPLAB_HTTP_HOST; default ${DEFAULT-VALUE}).")
  String httpHost;

  @Option(
      names = "--http-port",
      defaultValue = "${env:CLIPLAB_HTTP_PORT:-8080}",
      description =
          "Port of the API; 0 picks a free one (env CLIPLAB_HTTP_PORT; default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--pg-host",
      defaultValue = "${env:CLIPLAB_PG_HOST:-127.0.0.1}",
      description = "PostgreSQL host (env CLIPLAB_PG_HOST; default ${DEFAULT-VALUE}).")
  String pgHost;

  @Option(
      names = "--pg-port",
      defaultValue = "${env:CLIPLAB_PG_PORT:-5432}",
      description = "PostgreSQL port (env CLIPLAB_PG_PORT; default ${DEFAULT-VALUE}).")
  int pgPort;

  @Option(
      names = "--pg-database",
      defaultValue = "${env:CLIPLAB_PG_DATABASE:-cliplab}",
      description = "Database name (env CLIPLAB_PG_DATABASE; default ${DEFAULT-VALUE}).")
  String pgDatabase;

  @Option(
      names = "--pg-user",
      defaultValue = "${env:CLIPLAB_PG_USER:-postgres}",
      description = "Database user (env CLIPLAB_PG_USER; default ${DEFAULT-VALUE}).")
  String pgUser;

  /** Only from the environment, so that it never shows in a process list. */
  String pgPassword = System.getenv().getOrDefault("CLIPLAB_PG_PASSWORD", "");

  @Option(
      names = "--data",
      defaultValue = "${env:CLIPLAB_DATA:-data/demo}",
      description = "Root of the corpus (env CLIPLAB_DATA; default ${DEFAULT-VALUE}).")
  Path dataRoot;

  @Option(
      names = "--downloads",
      defaultValue = "${env:CLIPLAB_DOWNLOADS:-data/downloads}",
      description =
          "Where fetched packages are kept (env CLIPLAB_DOWNLOADS; default ${DEFAULT-VALUE}).")
  Path downloads;

  @Option(
      names = "--work-dir",
      defaultValue = "${env:CLIPLAB_WORK_DIR:-data/runs}",
      description =
          "Where trials write checkpoints (env CLIPLAB_WORK_DIR; default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(
      names = "--devices",
      split = ",",
      defaultValue = "${env:CLIPLAB_DEVICES:-cpu}",
      description =
          "Devices to run an in-process worker on, e.g. cpu or gpu:0,gpu:1; 'none' for an API-only"
              + " orchestrator (env CLIPLAB_DEVICES; default ${DEFAULT-VALUE}).")
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--lease-seconds",
      defaultValue = "${env:CLIPLAB_LEASE_SECONDS:-30}",
      description =
          "How long a worker's claim on a trial lasts without renewal; a killed worker's trial is"
              + " re-queued this long after its last renewal (env CLIPLAB_LEASE_SECONDS; default"
              + " ${DEFAULT-VALUE}).")
  int leaseSeconds;

  @Option(
      names = "--quarantine-after",
      defaultValue = "${env:CLIPLAB_QUARANTINE_AFTER:-3}",
      description =
          "Trials failed in a row after which a worker quarantines itself and stops claiming"
              + " (env CLIPLAB_QUARANTINE_AFTER; default ${DEFAULT-VALUE}).")
  int quarantineAfter;

  /** The length of a worker's lease. */
  Duration lease() {
    if (leaseSeconds < 1 || quarantineAfter < 1) {
      throw new IllegalArgumentException(
          "--lease-seconds and --quarantine-after must be at least 1");
    }
    return Duration.ofSeconds(leaseSeconds);
  }

  /** The devices that get a worker verticle, without the {@code none} marker. */
  List<String> workerDevices() {
    return devices.stream().filter(d -> !d.isBlank() && !"none".equals(d)).toList();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + pgDatabase;
  }

  /** The effective settings without secrets, for the start-up log. */
  String describe() {
    return String.format(
        "http=%s:%d postgres=%s@%s:%d/%s data=%s work-dir=%s devices=%s lease=%ds"
            + " quarantine-after=%d",
        httpHost,
        httpPort,
        pgUser,
        pgHost,
        pgPort,
        pgDatabase,
        dataRoot,
        workDir,
        workerDevices(),
        leaseSeconds,
        quarantineAfter);
  }
}
