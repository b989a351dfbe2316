package dev.cliplab.orchestrator.sweep;

import dev.cliplab.worker.train.ParameterInfo;
import dev.cliplab.worker.train.TrainSpec;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks sweep specs against the published JSON Schema, then against the rules a schema cannot
 * express (a step that does not divide its range, a parameter both swept and fixed, a grid larger
 * than the cap, a space too small for the points asked of it), then lets the trainer check every
 * point.
 */
public final class SpecValidator {

  /** The most trials one sweep may make. */
  public static final int MAX_TRIALS = 10_000;

  private static final Pattern NAMED_FIELD = Pattern.compile("(?:for|field) ([a-z_]+)");

  private final Map<String, ParameterInfo> parameters = new LinkedHashMap<>();
  private final JsonObject schema;
  private final Validator validator;
  private final SchemaErrors schemaErrors;

  private SpecValidator(List<ParameterInfo> parameters) {
    parameters.forEach(p -> this.parameters.put(p.name(), p));
    this.schema = SpecSchema.build(parameters);
    this.schemaErrors = new SchemaErrors(schema, this.parameters);
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
    return new SpecValidator(TrainSpec.parameters());
  }

  /** The JSON Schema of a sweep spec, as served to clients. */
  public JsonObject schema() {
    return schema.copy();
  }

  /** The names of the trial parameters a spec may set. */
  public List<String> parameterNames() {
    return List.copyOf(parameters.keySet());
  }

  /**
   * Validates {@code json} and returns it as a spec with its points. Draws random points, and lets
   * the trainer read up to {@link #MAX_TRIALS} of them: call it off the event loop.
   *
   * @throws InvalidSpecException naming each field that is wrong
   */
  public SweepSpec validate(JsonObject json) {
    List<SpecError> errors = new ArrayList<>();
    unknownKeys(json, errors);
    if (errors.isEmpty()) {
      OutputUnit result = validator.validate(json);
      if (!Boolean.TRUE.equals(result.getValid())) {
        result.getErrors().forEach(unit -> schemaErrors.of(unit).ifPresent(errors::add));
      }
    }
    Map<String, ParameterDomain> domains = new LinkedHashMap<>();
    if (errors.isEmpty()) {
      readDomains(json, domains, errors);
    }
    List<JsonObject> points = errors.isEmpty() ? points(json, domains, errors) : List.of();
    if (errors.isEmpty()) {
      trainerChecks(points, domains, errors);
    }
    if (!errors.isEmpty()) {
      throw new InvalidSpecException(errors);
    }
    return SweepSpec.of(json, domains, points);
  }

  /** Names unknown keys precisely; the schema alone would only point at their parent object. */
  private void unknownKeys(JsonObject json, List<SpecError> errors) {
    JsonObject properties = schema.getJsonObject("properties");
    unknownIn(json, "", properties.fieldNames(), "unknown field; expected one of ", errors);
    for (String section : List.of("parameters", "fixed")) {
      if (json.getValue(section) instanceof JsonObject object) {
        String expected = "unknown parameter; expected one of ";
        unknownIn(object, section + ".", parameters.keySet(), expected, errors);
      }
    }
    for (String section : List.of("metric", "asha")) {
      if (json.getValue(section) instanceof JsonObject object) {
        Collection<String> keys =
            properties.getJsonObject(section).getJsonObject("properties").fieldNames();
        unknownIn(object, section + ".", keys, "unknown key; expected one of ", errors);
      }
    }
    if (json.getValue("parameters") instanceof JsonObject swept) {
      for (String name : swept.fieldNames()) {
        ParameterInfo parameter = parameters.get(name);
        if (parameter != null
            && SpecSchema.numeric(parameter)
            && swept.getValue(name) instanceof JsonObject domain) {
          boolean drawn = domain.containsKey("distribution");
          List<String> keys = drawn ? SpecSchema.DISTRIBUTION_KEYS : SpecSchema.RANGE_KEYS;
          String expected = "unknown key; " + (drawn ? "a distribution" : "a range") + " has ";
          unknownIn(domain, "parameters." + name + ".", keys, expected, errors);
        }
      }
    }
  }

  private static void unknownIn(
      JsonObject object,
      String prefix,
      Collection<String> allowed,
      String expected,
      List<SpecError> errors) {
    for (String key : object.fieldNames()) {
      if (!allowed.contains(key)) {
        errors.add(new SpecError(prefix + key, expected + List.copyOf(allowed)));
      }
    }
  }

  private void readDomains(
      JsonObject json, Map<String, ParameterDomain> domains, List<SpecError> errors) {
    JsonObject swept = json.getJsonObject("parameters");
    JsonObject fixed = json.getJsonObject("fixed", new JsonObject());
    for (String name : swept.fieldNames()) {
      if (fixed.containsKey(name)) {
        errors.add(new SpecError("fixed." + name, "is also swept in parameters." + name));
      }
      ParameterDomain domain =
          DomainReader.read(parameters.get(name), swept.getValue(name), errors);
      if (domain != null) {
        domains.put(name, domain);
      }
    }
  }

  /** The grid's points, or random search's draws, after checking that there are as many. */
  private static List<JsonObject> points(
      JsonObject json, Map<String, ParameterDomain> domains, List<SpecError> errors) {
    JsonObject fixed = json.getJsonObject("fixed", new JsonObject());
    Integer maxTrials = json.getInteger("max_trials");
    BigInteger size = SearchPoints.spaceSize(domains);
    if ("grid".equals(json.getString("search", "grid"))) {
      gridSize(size, maxTrials, errors);
      return errors.isEmpty() ? SearchPoints.grid(fixed, domains) : List.of();
    }
    if (size != null && size.compareTo(BigInteger.valueOf(maxTrials)) < 0) {
      errors.add(
          new SpecError(
              "max_trials",
              "the parameters hold only "
                  + size
                  + " distinct points, fewer than max_trials "
                  + maxTrials));
      return List.of();
    }
    return SearchPoints.random(fixed, domains, maxTrials, json.getLong("seed", 0L));
  }

  private static void gridSize(BigInteger size, Integer maxTrials, List<SpecError> errors) {
    if (size.compareTo(BigInteger.valueOf(MAX_TRIALS)) > 0) {
      errors.add(
          new SpecError(
              "parameters",
              "the grid makes " + size + " trials, more than the cap of " + MAX_TRIALS));
    } else if (maxTrials != null && size.intValue() > maxTrials) {
      errors.add(
          new SpecError(
              "max_trials",
              "the grid makes " + size + " trials, more than max_trials " + maxTrials));
    }
  }

  /**
   * Lets the trainer check every point, so that a combination no single field's range can rule out
   * (heads that do not divide the hidden size) is refused now rather than failing the trial.
   */
  private static void trainerChecks(
      List<JsonObject> points, Map<String, ParameterDomain> domains, List<SpecError> errors) {
    for (JsonObject point : points) {
      try {
        TrainSpec.fromJson(point);
      } catch (IllegalArgumentException e) {
        Matcher named = NAMED_FIELD.matcher(e.getMessage());
        String field = named.find() ? named.group(1) : "";
        String section = domains.containsKey(field) ? "parameters." : "fixed.";
        errors.add(
            new SpecError(
                field.isEmpty() ? "parameters" : section + field,
                e.getMessage() + " in the trial " + point.encode()));
        return;
      }
    }
  }
}
