package dev.cliplab.orchestrator.sweep;

import dev.cliplab.worker.train.ParameterInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * Reads one swept parameter of a spec that passed the schema into its {@link ParameterDomain},
 * checking what the schema cannot: bounds in order, a step that divides the range exactly, and
 * positive bounds for a log scale.
 */
final class DomainReader {

  /** A range with more values than this is surely a typo in its step. */
  private static final BigInteger MAX_RANGE_VALUES = BigInteger.ONE.shiftLeft(62);

  private DomainReader() {}

  /**
   * The domain of {@code parameters.<name>}, or null after adding to {@code errors} what is wrong.
   */
  static ParameterDomain read(ParameterInfo parameter, Object json, List<SpecError> errors) {
    String field = "parameters." + parameter.name();
    if (json instanceof JsonArray list) {
      return new ValueList(list.getList());
    }
    JsonObject object = (JsonObject) json;
    BigDecimal min = decimal(object.getValue("min"));
    BigDecimal max = decimal(object.getValue("max"));
    if (min.compareTo(max) > 0) {
      errors.add(
          new SpecError(field + ".min", "min " + plain(min) + " is above max " + plain(max)));
      return null;
    }
    String kind = object.getString("distribution");
    return kind == null
        ? range(parameter, field, min, max, decimal(object.getValue("step")), errors)
        : distribution(field, kind, min, max, errors);
  }

  private static ParameterDomain range(
      ParameterInfo parameter,
      String field,
      BigDecimal min,
      BigDecimal max,
      BigDecimal step,
      List<SpecError> errors) {
    BigDecimal span = max.subtract(min);
    BigDecimal[] steps = span.divideAndRemainder(step);
    if (steps[1].signum() != 0) {
      errors.add(
          new SpecError(
              field + ".step",
              "step "
                  + plain(step)
                  + " does not divide max - min = "
                  + plain(span)
                  + " into whole steps; max must be min plus a whole number of steps"));
      return null;
    }
    if (steps[0].toBigInteger().compareTo(MAX_RANGE_VALUES) >= 0) {
      errors.add(new SpecError(field + ".step", "step " + plain(step) + " makes too many values"));
      return null;
    }
    return new ValueRange(min, max, step, SpecSchema.integral(parameter));
  }

  private static ParameterDomain distribution(
      String field, String kind, BigDecimal min, BigDecimal max, List<SpecError> errors) {
    if ("log_uniform".equals(kind) && min.signum() <= 0) {
      errors.add(
          new SpecError(
              field + ".min",
              "log_uniform needs bounds above 0 (its logarithm is drawn uniformly), but min is "
                  + plain(min)));
      return null;
    }
    return new Distribution(kind, min.doubleValue(), max.doubleValue());
  }

  private static BigDecimal decimal(Object number) {
    return new BigDecimal(number.toString());
  }

  private static String plain(BigDecimal value) {
    return ParamsHash.canonical(value);
  }
}
