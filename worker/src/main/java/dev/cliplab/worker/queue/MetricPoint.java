package dev.cliplab.worker.queue;

/** One value of a named training metric at a step. */
public record MetricPoint(String name, long step, double value) {}
