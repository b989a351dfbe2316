package dev.cliplab.orchestrator.sweep;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values {@code min, min + step, ..., max}, computed in exact decimal arithmetic so that a step
 * of 0.1 lands on 0.3 rather than 0.30000000000000004.
 *
 * @param min the first value
 * @param max the last value; {@code max - min} is a whole number of steps
 * @param step the distance between neighbours, above zero
 * @param integers whether values are integers (the parameter is an integer parameter)
 */
public record ValueRange(BigDecimal min, BigDecimal max, BigDecimal step, boolean integers)
    implements ParameterDomain {

  @Override
  public BigInteger size() {
    return max.subtract(min).divide(step).toBigIntegerExact().add(BigInteger.ONE);
  }

  @Override
  public List<Object> values() {
    int n = size().intValueExact();
    List<Object> values = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      values.add(value(k));
    }
    return values;
  }

  @Override
  public Object sample(SplittableRandom random) {
    return value(random.nextLong(size().longValueExact()));
  }

  /** The k-th value, as an Integer or a Double. */
  private Object value(long k) {
    BigDecimal value = min.add(step.multiply(BigDecimal.valueOf(k)));
    return integers ? (Object) value.intValueExact() : (Object) value.doubleValue();
  }
}
