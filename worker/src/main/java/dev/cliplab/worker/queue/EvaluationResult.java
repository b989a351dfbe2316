package dev.cliplab.worker.queue;

/**
 * One metric of one evaluation task, measured in a phase of the trial ({@code untrained}, {@code
 * final}).
 */
public record EvaluationResult(String phase, String task, String metric, double value) {}
