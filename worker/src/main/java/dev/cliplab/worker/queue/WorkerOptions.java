package dev.cliplab.worker.queue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker verticle runs: the device it trains on, where the data and its trial outputs live,
 * and the timing of its lease and polling.
 *
 * @param device the DJL device name, {@code cpu} or {@code gpu:N}
 * @param dataRoot root of the corpus in the demo layout
 * @param workDir directory under which each trial gets its own folder of checkpoints
 * @param lease how long a claim is valid without a heartbeat
 * @param idlePoll how long to wait before asking again when the queue is empty
 * @param metricFlush the longest a metric point waits before it is written
 */
public record WorkerOptions(
    String device,
    Path dataRoot,
    Path workDir,
    Duration lease,
    Duration idlePoll,
    Duration metricFlush) {

  /** Options with the default timing for a worker on {@code device}. */
  public static WorkerOptions defaults(String device, Path dataRoot, Path workDir) {
    return new WorkerOptions(
        device,
        dataRoot,
        workDir,
        Duration.ofSeconds(30),
        Duration.ofMillis(500),
        Duration.ofSeconds(1));
  }
}
