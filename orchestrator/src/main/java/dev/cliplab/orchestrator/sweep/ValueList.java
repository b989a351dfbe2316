package dev.cliplab.orchestrator.sweep;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A list of values, taken in the order given by a grid and uniformly by random search.
 *
 * @param values distinct values, at least one
 */
public record ValueList(List<Object> values) implements ParameterDomain {

  /** Copies the list. */
  public ValueList {
    values = List.copyOf(values);
  }

  @Override
  public BigInteger size() {
    return BigInteger.valueOf(values.size());
  }

  @Override
  public Object sample(SplittableRandom random) {
    return values.get(random.nextInt(values.size()));
  }
}
