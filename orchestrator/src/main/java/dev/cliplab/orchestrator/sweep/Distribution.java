package dev.cliplab.orchestrator.sweep;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A distribution that random search and ASHA draw a parameter's values from.
 *
 * @param kind {@code uniform} (on [min, max)), {@code log_uniform} (its logarithm uniform on [log
 *     min, log max), min above 0) or {@code int_uniform} (each integer of [min, max] equally
 *     likely)
 * @param min the lower bound
 * @param max the upper bound, not below min
 */
public record Distribution(String kind, double min, double max) implements ParameterDomain {

  /** The distributions a spec may name, by the parameter types they suit. */
  public static final List<String> CONTINUOUS = List.of("uniform", "log_uniform");

  /** The distribution of integer parameters. */
  public static final String INT_UNIFORM = "int_uniform";

  /** For int_uniform the integers from min to max; 1 for a continuous one of zero width. */
  @Override
  public BigInteger size() {
    if (INT_UNIFORM.equals(kind)) {
      return BigInteger.valueOf((long) max - (long) min + 1);
    }
    return min == max ? BigInteger.ONE : null;
  }

  @Override
  public List<Object> values() {
    throw new UnsupportedOperationException("a distribution is drawn from, not listed");
  }

  @Override
  public Object sample(SplittableRandom random) {
    return switch (kind) {
      case INT_UNIFORM -> (int) random.nextLong((long) min, (long) max + 1);
      case "log_uniform" ->
          within(Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * random.nextDouble()));
      default -> within(min + (max - min) * random.nextDouble());
    };
  }

  /** Keeps rounding in exp and log from stepping a hair outside the bounds. */
  private double within(double value) {
    return Math.min(max, Math.max(min, value));
  }
}
