package dev.cliplab.orchestrator.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Summary of measured durations in milliseconds, by the nearest-rank method.
 *
 * @param count how many were measured
 * @param p50 the median
 * @param p99 the 99th percentile
 * @param max the largest
 */
record Latencies(int count, double p50, double p99, double max) {

  static Latencies of(List<Double> millis) {
    if (millis.isEmpty()) {
      return new Latencies(0, Double.NaN, Double.NaN, Double.NaN);
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    return new Latencies(
        sorted.length, rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
  }

  private static double rank(double[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "n=%d p50 %.1f ms, p99 %.1f ms, max %.1f ms", count, p50, p99, max);
  }
}
