package dev.cliplab.worker.train;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes one training hyperparameter: its JSON name and type, its allowed range or choices, its
 * default and what it means; it also checks a JSON value against that description.
 *
 * @param name the snake_case JSON field name
 * @param type {@code "string"}, {@code "integer"}, {@code "number"}, {@code "boolean"}, {@code
 *     "array"} (of integers), {@code "strings"} (distinct strings among the choices) or {@code
 *     "count"} (a positive integer or the string {@code "all"})
 * @param minimum the smallest allowed number (for arrays: of each element), or null
 * @param maximum the largest allowed number (for arrays: of each element), or null
 * @param defaultValue the value used when the field is absent; null when the default depends on
 *     other parameters (the description says how)
 * @param choices the allowed strings, empty unless the type is string
 * @param description one sentence for people
 */
public record ParameterInfo(
    String name,
    String type,
    Number minimum,
    Number maximum,
    Object defaultValue,
    List<String> choices,
    String description) {

  /** The string a {@code count} parameter takes for "every one there is"; it reads as 0. */
  public static final String ALL = "all";

  /** Validates the record. */
  public ParameterInfo {
    choices = List.copyOf(choices);
  }

  static ParameterInfo choice(String name, String dflt, List<String> choices, String description) {
    return new ParameterInfo(name, "string", null, null, dflt, choices, description);
  }

  static ParameterInfo integer(String name, int dflt, int min, int max, String description) {
    return new ParameterInfo(name, "integer", min, max, dflt, List.of(), description);
  }

  static ParameterInfo number(String name, double dflt, double min, double max, String text) {
    return new ParameterInfo(name, "number", min, max, dflt, List.of(), text);
  }

  static ParameterInfo bool(String name, boolean dflt, String description) {
    return new ParameterInfo(name, "boolean", null, null, dflt, List.of(), description);
  }

  static ParameterInfo optionalNumber(String name, double min, double max, String description) {
    return new ParameterInfo(name, "number", min, max, null, List.of(), description);
  }

  /** A count such as negatives per positive: an integer in [min, max], or "all" (read as 0). */
  static ParameterInfo count(String name, int min, int max, String description) {
    return new ParameterInfo(name, "count", min, max, null, List.of(ALL), description);
  }

  static ParameterInfo strings(
      String name, List<String> dflt, List<String> choices, String description) {
    return new ParameterInfo(name, "strings", null, null, dflt, choices, description);
  }

  static ParameterInfo integers(
      String name, List<Integer> dflt, int min, int max, String description) {
    return new ParameterInfo(name, "array", min, max, dflt, List.of(), description);
  }

  /**
   * This parameter as a JSON Schema property.
   *
   * @return the schema of the field's value
   */
  public JsonObject jsonSchema() {
    JsonObject schema = new JsonObject().put("description", description);
    switch (type) {
      case "string" -> schema.put("type", "string").put("enum", new JsonArray(choices));
      case "array" ->
          schema
              .put("type", "array")
              .put("minItems", 1)
              .put(
                  "items",
                  new JsonObject()
                      .put("type", "integer")
                      .put("minimum", minimum)
                      .put("maximum", maximum));
      case "boolean" -> schema.put("type", "boolean");
      case "strings" ->
          schema
              .put("type", "array")
              .put("uniqueItems", true)
              .put("items", new JsonObject().put("enum", new JsonArray(choices)));
      case "count" ->
          schema.put(
              "oneOf",
              new JsonArray()
                  .add(
                      new JsonObject()
                          .put("type", "integer")
                          .put("minimum", minimum)
                          .put("maximum", maximum))
                  .add(new JsonObject().put("const", ALL)));
      default -> schema.put("type", type).put("minimum", minimum).put("maximum", maximum);
    }
    if (defaultValue != null) {
      schema.put("default", defaultValue instanceof List<?> l ? new JsonArray(l) : defaultValue);
    }
    return schema;
  }

  /**
   * Reads this field from a JSON object, falling back to the default when it is absent or null.
   *
   * @param json the object holding the field
   * @return a String, Integer, Double, Boolean or List of Integer, by type ({@code count}: an
   *     Integer, 0 for "all"); null when absent and the default depends on other parameters
   * @throws IllegalArgumentException naming the field, when the value has the wrong type or range
   */
  Object read(JsonObject json) {
    Object raw = json.getValue(name);
    if (raw == null) {
      return defaultValue;
    }
    return switch (type) {
      case "string" -> readChoice(raw);
      case "integer" -> readInteger(raw, name);
      case "number" -> readNumber(raw);
      case "boolean" -> readBoolean(raw);
      case "strings" -> readStrings(raw);
      case "count" -> ALL.equals(raw) ? 0 : readCount(raw);
      default -> readIntegers(raw);
    };
  }

  private String readChoice(Object raw) {
    if (!(raw instanceof String s) || !choices.contains(s)) {
      throw invalid(raw, "one of " + choices);
    }
    return s;
  }

  private int readInteger(Object raw, String what) {
    if (!(raw instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.doubleValue() < minimum.doubleValue()
        || n.doubleValue() > maximum.doubleValue()) {
      throw invalid(raw, "an integer in [" + minimum + ", " + maximum + "]", what);
    }
    return n.intValue();
  }

  private double readNumber(Object raw) {
    if (!(raw instanceof Number n)
        || !Double.isFinite(n.doubleValue())
        || n.doubleValue() < minimum.doubleValue()
        || n.doubleValue() > maximum.doubleValue()) {
      throw invalid(raw, "a number in [" + minimum + ", " + maximum + "]");
    }
    return n.doubleValue();
  }

  private List<String> readStrings(Object raw) {
    if (!(raw instanceof JsonArray array)) {
      throw invalid(raw, "an array of distinct values among " + choices);
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      if (!(item instanceof String s) || !choices.contains(s) || values.contains(s)) {
        throw invalid(item, "distinct values among " + choices, name + "[" + i + "]");
      }
      values.add(s);
    }
    return List.copyOf(values);
  }

  private boolean readBoolean(Object raw) {
    if (!(raw instanceof Boolean b)) {
      throw invalid(raw, "true or false");
    }
    return b;
  }

  private int readCount(Object raw) {
    if (!(raw instanceof Number)) {
      throw invalid(raw, "an integer in [" + minimum + ", " + maximum + "] or \"" + ALL + "\"");
    }
    return readInteger(raw, name);
  }

  private List<Integer> readIntegers(Object raw) {
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw invalid(raw, "a non-empty array of integers");
    }
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      values.add(readInteger(array.getValue(i), name + "[" + i + "]"));
    }
    return List.copyOf(values);
  }

  private IllegalArgumentException invalid(Object raw, String expected) {
    return invalid(raw, expected, name);
  }

  private static IllegalArgumentException invalid(Object raw, String expected, String field) {
    return new IllegalArgumentException(
        "invalid value for " + field + ": " + raw + " (expected " + expected + ")");
  }
}
