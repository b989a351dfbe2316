package dev.cliplab.worker.data.build;

import java.util.Map;
import java.util.TreeMap;

/** Counts by reason, safe to update from the image-writing threads. */
final class Tally {

  private final Map<String, Long> counts = new TreeMap<>();

  /** Adds one to a reason's count. */
  synchronized void add(String reason) {
    counts.merge(reason, 1L, Long::sum);
  }

  /** Adds another tally's counts to this one. */
  synchronized void addAll(Tally other) {
    other.counts().forEach((reason, n) -> counts.merge(reason, n, Long::sum));
  }

  /** Adds {@code n} to a reason's count. */
  synchronized void add(String reason, long n) {
    if (n > 0) {
      counts.merge(reason, n, Long::sum);
    }
  }

  /** Returns a copy of the counts, ordered by reason. */
  synchronized Map<String, Long> counts() {
    return new TreeMap<>(counts);
  }
}
