package dev.cliplab.orchestrator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Min-max-first-last (M4) downsampling: the series is cut into equal ranges of keys and each range
 * keeps its first, last, smallest and largest point, so a chart keeps every peak and the ends of
 * every range however few points it draws. Values order as {@link Double#compare} orders them (NaN
 * above every number), as PostgreSQL orders double precision.
 */
final class Downsampler {

  /** The points M4 keeps of each range. */
  static final int POINTS_PER_RANGE = 4;

  private Downsampler() {}

  /**
   * A summary of consecutive points sharing one key: a raw point (key = its step) or a stored
   * bucket of {@code metric_rollups} (key = its bucket number).
   */
  record Summary(
      long key,
      long firstStep,
      double firstValue,
      long lastStep,
      double lastValue,
      long minStep,
      double minValue,
      long maxStep,
      double maxValue) {

    /** One point as its own summary. */
    static Summary point(long step, double value) {
      return new Summary(step, step, value, step, value, step, value, step, value);
    }

    Summary merge(Summary next) {
      boolean lower =
          Double.compare(next.minValue, minValue) < 0
              || Double.compare(next.minValue, minValue) == 0 && next.minStep < minStep;
      boolean higher =
          Double.compare(next.maxValue, maxValue) > 0
              || Double.compare(next.maxValue, maxValue) == 0 && next.maxStep < maxStep;
      return new Summary(
          key,
          firstStep,
          firstValue,
          next.lastStep,
          next.lastValue,
          lower ? next.minStep : minStep,
          lower ? next.minValue : minValue,
          higher ? next.maxStep : maxStep,
          higher ? next.maxValue : maxValue);
    }
  }

  /** A point of the answer. */
  record Point(long step, double value) {}

  /**
   * Keeps at most {@code maxPoints} of the series: {@code maxPoints / 4} ranges of equal width in
   * keys, each with its first, last, min and max point, in step order and each step once.
   *
   * @param summaries the series in key order, with no step in two summaries
   * @param maxPoints at least {@link #POINTS_PER_RANGE}
   * @return the kept points
   */
  static List<Point> m4(List<Summary> summaries, int maxPoints) {
    if (summaries.isEmpty()) {
      return List.of();
    }
    long first = summaries.get(0).key();
    long span = summaries.get(summaries.size() - 1).key() - first + 1;
    long ranges = Math.max(1, maxPoints / POINTS_PER_RANGE);
    long width = (span + ranges - 1) / ranges;
    List<Point> out = new ArrayList<>();
    Summary range = null;
    for (Summary s : summaries) {
      if (range != null && (s.key() - first) / width != (range.key() - first) / width) {
        emit(range, out);
        range = null;
      }
      range = range == null ? s : range.merge(s);
    }
    emit(range, out);
    return out;
  }

  private static void emit(Summary range, List<Point> out) {
    TreeMap<Long, Double> kept = new TreeMap<>();
    kept.put(range.firstStep(), range.firstValue());
    kept.put(range.minStep(), range.minValue());
    kept.put(range.maxStep(), range.maxValue());
    kept.put(range.lastStep(), range.lastValue());
    kept.forEach((step, value) -> out.add(new Point(step, value)));
  }
}
