package dev.cliplab.orchestrator.sweep;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The points a sweep runs: a grid's every combination, or random search's draws, each merged over
 * the fixed settings.
 */
final class SearchPoints {

  /**
   * How many draws random search may make per point it needs before it gives up; collecting every
   * one of n equally likely points takes about n ln n draws, under 10 n for n up to 10,000.
   */
  static final int DRAWS_PER_POINT = 100;

  private SearchPoints() {}

  /** How many distinct points the domains hold; null when one of them is continuous. */
  static BigInteger spaceSize(Map<String, ParameterDomain> domains) {
    BigInteger size = BigInteger.ONE;
    for (ParameterDomain domain : domains.values()) {
      if (domain.size() == null) {
        return null;
      }
      size = size.multiply(domain.size());
    }
    return size;
  }

  /** Every combination in row-major order: the first parameter varies slowest. */
  static List<JsonObject> grid(JsonObject fixed, Map<String, ParameterDomain> domains) {
    List<JsonObject> points = new ArrayList<>();
    points.add(fixed.copy());
    for (Map.Entry<String, ParameterDomain> entry : domains.entrySet()) {
      List<Object> values = entry.getValue().values();
      List<JsonObject> next = new ArrayList<>(points.size() * values.size());
      for (JsonObject point : points) {
        for (Object value : values) {
          next.add(point.copy().put(entry.getKey(), value));
        }
      }
      points = next;
    }
    return points;
  }

  /**
   * {@code count} distinct points drawn with a generator seeded by {@code seed}: each point draws
   * every parameter in the spec's order, and a point equal to an earlier one (by {@link
   * ParamsHash#canonical}) is drawn again. The caller checks first that the space holds {@code
   * count} distinct points.
   *
   * @throws InvalidSpecException on {@code max_trials} when {@link #DRAWS_PER_POINT} draws per
   *     point did not find them (a continuous distribution narrower than the points asked of it)
   */
  static List<JsonObject> random(
      JsonObject fixed, Map<String, ParameterDomain> domains, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<String> seen = new HashSet<>();
    List<JsonObject> points = new ArrayList<>(count);
    long draws = 0;
    while (points.size() < count) {
      if (draws++ == (long) DRAWS_PER_POINT * count) {
        throw new InvalidSpecException(
            List.of(
                new SpecError(
                    "max_trials",
                    "drew only "
                        + points.size()
                        + " distinct points in "
                        + (draws - 1)
                        + " draws; widen the distributions or ask for fewer trials")));
      }
      JsonObject point = fixed.copy();
      domains.forEach((name, domain) -> point.put(name, domain.sample(random)));
      if (seen.add(ParamsHash.canonical(point))) {
        points.add(point);
      }
    }
    return points;
  }
}
