package dev.cliplab.orchestrator.sweep;

import dev.cliplab.worker.train.ParameterInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON Schema validator's output into errors a person can act on: one per leaf failure,
 * named by the field's path, with the rule's own description for the rules between keys.
 */
final class SchemaErrors {

  private static final Set<String> SUMMARY_KEYWORDS =
      Set.of(
          "properties",
          "items",
          "additionalProperties",
          "prefixItems",
          "$ref",
          "allOf",
          "if",
          "then",
          "else");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");
  private static final Pattern RULE = Pattern.compile("^#/allOf/(\\d+)/");
  private static final Pattern SWEPT = Pattern.compile("^parameters\\.([a-z0-9_]+)$");

  private final JsonObject schema;
  private final Map<String, ParameterInfo> parameters;

  SchemaErrors(JsonObject schema, Map<String, ParameterInfo> parameters) {
    this.schema = schema;
    this.parameters = parameters;
  }

  /**
   * The error a person should act on, or empty for the summaries the validator adds on each
   * enclosing object and array ("property X does not match schema").
   */
  Optional<SpecError> of(OutputUnit unit) {
    String keywordLocation = unit.getKeywordLocation();
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    if (SUMMARY_KEYWORDS.contains(keyword)) {
      return Optional.empty();
    }
    String field = fieldPath(unit.getInstanceLocation());
    String message = expected(keyword, schemaAt(keywordLocation), unit.getError());
    Matcher missing = QUOTED.matcher(message);
    if ("required".equals(keyword) && missing.find()) {
      field = field.isEmpty() ? missing.group(1) : field + "." + missing.group(1);
      message = "is required";
    }
    Matcher rule = RULE.matcher(keywordLocation);
    if (rule.find()) {
      message =
          schema
              .getJsonArray("allOf")
              .getJsonObject(Integer.parseInt(rule.group(1)))
              .getString("description");
    }
    Matcher swept = SWEPT.matcher(field);
    if ("type".equals(keyword) && swept.matches()) {
      message = expectedDomain(parameters.get(swept.group(1)));
    }
    return Optional.of(new SpecError(field, message));
  }

  /** What the keyword asked for, in words; the validator's own message where none fits. */
  private static String expected(String keyword, Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    return switch (keyword) {
      case "minimum" -> "must be at least " + value;
      case "maximum" -> "must be at most " + value;
      case "exclusiveMinimum" -> "must be above " + value;
      case "minItems" -> "must list at least " + value + " value(s)";
      case "minLength" -> "must have at least " + value + " character(s)";
      case "maxLength" -> "must have at most " + value + " characters";
      case "uniqueItems" -> "must not list a value twice (" + fallback + ")";
      case "type" ->
          "expected " + value + ", " + fallback.replaceFirst("^Instance type (\\S+).*", "found $1");
      case "enum" -> "must be one of " + value;
      case "const" -> "must be " + value;
      case "pattern" -> "must match " + value;
      default -> fallback;
    };
  }

  /** The schema value a keyword location such as {@code #/properties/seed/minimum} points at. */
  private Object schemaAt(String keywordLocation) {
    Object node = schema;
    for (String part : keywordLocation.replaceFirst("^#/?", "").split("/")) {
      if (node instanceof JsonObject object) {
        node = object.getValue(part.replace("~1", "/").replace("~0", "~"));
      } else if (node instanceof JsonArray array && part.matches("\\d+")) {
        node = array.getValue(Integer.parseInt(part));
      } else {
        return null;
      }
    }
    return node;
  }

  private static String expectedDomain(ParameterInfo parameter) {
    if (SpecSchema.numeric(parameter)) {
      return "expected a list of values, a {min, max, step} range or a {distribution, min, max}";
    }
    return "expected a list of values (ranges and distributions apply only to numeric"
        + " parameters, and "
        + parameter.name()
        + " is not one)";
  }

  /**
   * Turns a JSON pointer such as {@code #/parameters/batch_size/1} into {@code
   * parameters.batch_size[1]}.
   */
  static String fieldPath(String pointer) {
    String path = pointer == null ? "" : pointer.replaceFirst("^#?/?", "");
    StringBuilder out = new StringBuilder();
    for (String part : path.isEmpty() ? new String[0] : path.split("/")) {
      String name = part.replace("~1", "/").replace("~0", "~");
      if (name.matches("\\d+")) {
        out.append('[').append(name).append(']');
      } else {
        out.append(out.length() > 0 ? "." : "").append(name);
      }
    }
    return out.toString();
  }
}
