package dev.cliplab.worker.eval;

/**
 * One evaluation number.
 *
 * @param task the evaluation, e.g. {@code "retrieval_heldout"}
 * @param metric the metric, e.g. {@code "i2t_r5"}
 * @param value a fraction in [0, 1]
 */
public record EvalResult(String task, String metric, double value) {}
