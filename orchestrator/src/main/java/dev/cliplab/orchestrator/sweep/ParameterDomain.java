package dev.cliplab.orchestrator.sweep;

import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The values one swept parameter may take: a list, a {@code {min, max, step}} range or a
 * distribution to draw from.
 */
public sealed interface ParameterDomain permits ValueList, ValueRange, Distribution {

  /** How many distinct values there are; null when the domain is continuous. */
  BigInteger size();

  /**
   * Every value, in order; only for a domain whose {@link #size()} is known and small enough to
   * list.
   */
  List<Object> values();

  /** One value drawn from the domain; each call takes the next numbers from {@code random}. */
  Object sample(SplittableRandom random);
}
