package dev.cliplab.worker.train;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/** Receives what a training run reports: metric points, evaluation results and checkpoints. */
public interface TrainingListener {

  /**
   * A training metric at a step: {@code loss}, {@code mi_estimate}, {@code prior}, {@code
   * temperature}, {@code learning_rate}, {@code images_per_sec}, or, at an epoch's last step,
   * {@code epoch_loss}.
   *
   * @param name the metric name
   * @param step the optimiser step, from 1
   * @param value the value
   */
  void metric(String name, long step, double value);

  /**
   * An evaluation result.
   *
   * @param phase {@code "untrained"} before the first step or {@code "final"} after the last
   * @param task e.g. {@code "zeroshot_emoji_groups"} or {@code "retrieval_heldout"}
   * @param metric e.g. {@code "top1"} or {@code "i2t_r5"}
   * @param value a fraction in [0, 1]
   */
  void evaluation(String phase, String task, String metric, double value);

  /**
   * What explains one phase's evaluation results: per-class AP and chosen costs, recipes, prompt
   * templates and a retrieval gallery, by task.
   *
   * @param phase the phase, as in {@link #evaluation}
   * @param report each task's {@code metrics}, {@code details} and, when it did not run, {@code
   *     skipped}
   */
  default void evaluationDetails(String phase, JsonObject report) {}

  /**
   * A checkpoint written at the end of an epoch.
   *
   * @param epoch the epoch just finished, from 1
   * @param step the optimiser steps taken so far
   * @param file the parameter file
   */
  void checkpoint(int epoch, long step, Path file);

  /**
   * Asked before every step; returning true ends the run with status {@code "stopped"}.
   *
   * @return whether the run should stop
   */
  default boolean stopRequested() {
    return false;
  }

  /**
   * Asked at the end of every epoch, after its checkpoint is written; returning false ends the run
   * with status {@code "pruned"}. A run resumed from an epoch's end checkpoint asks again about
   * that epoch, with the same loss, since its answer may not have been acted on before the stop;
   * the same question should get the same answer.
   *
   * @param epoch the epoch just finished, from 1
   * @param step the optimiser steps taken so far
   * @param epochLoss the mean training loss over the epoch's steps
   * @return whether the run should go on
   */
  default boolean continueAfterEpoch(int epoch, long step, double epochLoss) {
    return true;
  }
}
