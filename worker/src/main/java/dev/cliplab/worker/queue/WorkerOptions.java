package dev.cliplab.worker.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker verticle runs: the device it trains on, where the data and its trial outputs live,
 * the timing of its lease, polling and heartbeat, and when it quarantines itself.
 *
 * @param device the DJL device name, {@code cpu} or {@code gpu:N}
 * @param dataRoot root of the corpus in the demo layout
 * @param workDir directory under which each trial gets its own folder of checkpoints
 * @param lease how long a claim is valid without a renewal
 * @param idlePoll how long an idle worker waits before asking again when no notification comes
 * @param metricFlush the longest a metric point waits before it is written
 * @param heartbeat how often the worker's row in {@code workers} is renewed
 * @param maxConsecutiveFailures trials ending {@code failed} in a row after which the worker
 *     quarantines itself and stops claiming
 */
public record WorkerOptions(
    String device,
    Path dataRoot,
    Path workDir,
    Duration lease,
    Duration idlePoll,
    Duration metricFlush,
    Duration heartbeat,
    int maxConsecutiveFailures) {

  /** Options with the default timing for a worker on {@code device}. */
  public static WorkerOptions defaults(String device, Path dataRoot, Path workDir) {
    return new WorkerOptions(
        device,
        dataRoot,
        workDir,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        3);
  }

  /** These options with another lease length. */
  public WorkerOptions withLease(Duration value) {
    return new WorkerOptions(
        device, dataRoot, workDir, value, idlePoll, metricFlush, heartbeat, maxConsecutiveFailures);
  }

  /** These options with another fallback polling interval. */
  public WorkerOptions withIdlePoll(Duration value) {
    return new WorkerOptions(
        device, dataRoot, workDir, lease, value, metricFlush, heartbeat, maxConsecutiveFailures);
  }

  /** These options with another heartbeat interval. */
  public WorkerOptions withHeartbeat(Duration value) {
    return new WorkerOptions(
        device, dataRoot, workDir, lease, idlePoll, metricFlush, value, maxConsecutiveFailures);
  }

  /** These options with another quarantine threshold. */
  public WorkerOptions withMaxConsecutiveFailures(int value) {
    return new WorkerOptions(
        device, dataRoot, workDir, lease, idlePoll, metricFlush, heartbeat, value);
  }
}
