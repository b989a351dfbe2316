package dev.cliplab.orchestrator.sweep;

import dev.cliplab.worker.train.ParameterInfo;
import dev.cliplab.worker.train.TrainSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks sweep specs against the published JSON Schema, then against the rules a schema cannot
 * express (a parameter both swept and fixed, a grid larger than the cap).
 */
public final class SpecValidator {

  /** The most trials one sweep may make. */
  public static final int MAX_TRIALS = 10_000;

  private static final Set<String> SUMMARY_KEYWORDS =
      Set.of("properties", "items", "additionalProperties", "prefixItems", "$ref", "allOf");
  private static final Pattern NAMED_FIELD = Pattern.compile("(?:for|field) ([a-z_]+)");
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

  private final JsonObject parameters;
  private final JsonObject schema;
  private final Validator validator;

  private SpecValidator(JsonObject parameters) {
    this.parameters = parameters;
    this.schema = buildSchema(parameters);
    this.validator =
        Validator.create(
            // The validator annotates the schema it is given; keep the published copy clean.
            JsonSchema.of(schema.copy()),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://cliplab.dev/schemas/")
                .setOutputFormat(OutputFormat.Basic));
  }

  /** A validator for the trial parameters that this version of the worker understands. */
  public static SpecValidator create() {
    JsonObject parameters = new JsonObject();
    for (ParameterInfo parameter : TrainSpec.parameters()) {
      parameters.put(parameter.name(), parameter.jsonSchema());
    }
    return new SpecValidator(parameters);
  }

  /** The JSON Schema of a sweep spec, as served to clients. */
  public JsonObject schema() {
    return schema.copy();
  }

  /** The names of the trial parameters a spec may set. */
  public List<String> parameterNames() {
    return List.copyOf(parameters.fieldNames());
  }

  /**
   * Validates {@code json} and returns it as a spec.
   *
   * @throws InvalidSpecException naming each field that is wrong
   */
  public SweepSpec validate(JsonObject json) {
    List<SpecError> errors = new ArrayList<>();
    unknownKeys(json, errors);
    if (errors.isEmpty()) {
      OutputUnit result = validator.validate(json);
      if (!Boolean.TRUE.equals(result.getValid())) {
        for (OutputUnit unit : result.getErrors()) {
          leafError(unit).ifPresent(errors::add);
        }
      }
    }
    if (errors.isEmpty()) {
      beyondSchema(json, errors);
    }
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
    return SweepSpec.of(json);
  }

  /** Names unknown keys precisely; the schema alone would only point at their parent object. */
  private void unknownKeys(JsonObject json, List<SpecError> errors) {
    for (String key : json.fieldNames()) {
      if (!schema.getJsonObject("properties").containsKey(key)) {
        errors.add(new SpecError(key, "unknown field; expected one of " + topLevelKeys()));
      }
    }
    for (String section : List.of("parameters", "fixed")) {
      if (json.getValue(section) instanceof JsonObject object) {
        for (String key : object.fieldNames()) {
          if (!parameters.containsKey(key)) {
            errors.add(
                new SpecError(
                    section + "." + key,
                    "unknown parameter; expected one of " + parameters.fieldNames()));
          }
        }
      }
    }
  }

  private List<String> topLevelKeys() {
    return List.copyOf(schema.getJsonObject("properties").fieldNames());
  }

  private static void beyondSchema(JsonObject json, List<SpecError> errors) {
    SweepSpec spec = SweepSpec.of(json);
    for (String key : spec.grid().fieldNames()) {
      if (spec.fixed().containsKey(key)) {
        errors.add(new SpecError("fixed." + key, "is also swept in parameters." + key));
      }
    }
    if (spec.size() > MAX_TRIALS) {
      errors.add(
          new SpecError(
              "parameters",
              "the grid makes " + spec.size() + " trials, more than the cap of " + MAX_TRIALS));
      return;
    }
    trainerChecks(spec, errors);
  }

  /**
   * Lets the trainer check every grid point, so that a combination no single field's range can rule
   * out (heads that do not divide the hidden size) is refused now rather than failing the trial.
   */
  private static void trainerChecks(SweepSpec spec, List<SpecError> errors) {
    for (JsonObject point : spec.expand()) {
      try {
        TrainSpec.fromJson(point);
      } catch (IllegalArgumentException e) {
        Matcher named = NAMED_FIELD.matcher(e.getMessage());
        String field = named.find() ? named.group(1) : "";
        String section = spec.grid().containsKey(field) ? "parameters." : "fixed.";
        errors.add(
            new SpecError(
                field.isEmpty() ? "parameters" : section + field,
                e.getMessage() + " in the trial " + point.encode()));
        return;
      }
    }
  }

  /**
   * The error a person should act on, or empty for the summaries the validator adds on each
   * enclosing object and array ("property X does not match schema").
   */
  private static Optional<SpecError> leafError(OutputUnit unit) {
    String keywordLocation = unit.getKeywordLocation();
    String keyword = keywordLocation.substring(keywordLocation.lastIndexOf('/') + 1);
    if (SUMMARY_KEYWORDS.contains(keyword)) {
      return Optional.empty();
    }
    String field = fieldPath(unit.getInstanceLocation());
    Matcher missing = QUOTED.matcher(unit.getError());
    if ("required".equals(keyword) && missing.find()) {
      field = field.isEmpty() ? missing.group(1) : field + "." + missing.group(1);
      return Optional.of(new SpecError(field, "is required"));
    }
    return Optional.of(new SpecError(field, unit.getError()));
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

  private static JsonObject buildSchema(JsonObject parameters) {
    JsonObject lists = new JsonObject();
    for (String name : parameters.fieldNames()) {
      lists.put(
          name,
          new JsonObject()
              .put("type", "array")
              .put("minItems", 1)
              .put("uniqueItems", true)
              .put("items", parameters.getJsonObject(name)));
    }
    JsonObject properties =
        new JsonObject()
            .put(
                "name",
                new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 200))
            .put("description", new JsonObject().put("type", "string").put("maxLength", 10_000))
            .put(
                "parameters",
                new JsonObject()
                    .put("type", "object")
                    .put("minProperties", 1)
                    .put("additionalProperties", false)
                    .put("properties", lists))
            .put(
                "fixed",
                new JsonObject()
                    .put("type", "object")
                    .put("additionalProperties", false)
                    .put("properties", parameters.copy()))
            .put(
                "priority",
                new JsonObject().put("type", "integer").put("minimum", -1000).put("maximum", 1000))
            .put(
                "max_attempts",
                new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 20))
            .put(
                "baselines",
                new JsonObject()
                    .put("type", "boolean")
                    .put(
                        "description",
                        "Queue each point's CLIP baseline (infonce, all negatives) unless a trial"
                            + " with the same parameters already exists."));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("$id", "https://cliplab.dev/schemas/sweep-spec.json")
        .put("title", "cliplab sweep spec")
        .put("type", "object")
        .put("required", new JsonArray().add("name").add("parameters"))
        .put("additionalProperties", false)
        .put("properties", properties);
  }
}
