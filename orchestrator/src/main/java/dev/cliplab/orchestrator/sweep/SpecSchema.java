package dev.cliplab.orchestrator.sweep;

import dev.cliplab.worker.train.ParameterInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Builds the JSON Schema of a sweep spec from the trainer's parameters: each swept parameter takes
 * a list of its values, or (numeric parameters) a {@code {min, max, step}} range or a distribution
 * whose bounds satisfy the parameter's own schema; rules between keys are {@code if}/{@code then}
 * clauses under {@code allOf}, each with a description that is also its error message.
 */
final class SpecSchema {

  /** Keys of a {@code {min, max, step}} range. */
  static final List<String> RANGE_KEYS = List.of("min", "max", "step");

  /** Keys of a distribution. */
  static final List<String> DISTRIBUTION_KEYS = List.of("distribution", "min", "max");

  private static final JsonArray SAMPLED = new JsonArray().add("random").add("asha");

  private SpecSchema() {}

  /** Whether a parameter may take ranges and distributions. */
  static boolean numeric(ParameterInfo parameter) {
    return List.of("integer", "number", "count").contains(parameter.type());
  }

  /** Whether a numeric parameter's values are integers. */
  static boolean integral(ParameterInfo parameter) {
    return !"number".equals(parameter.type());
  }

  static JsonObject build(List<ParameterInfo> parameters) {
    JsonObject swept = new JsonObject();
    JsonObject fixed = new JsonObject();
    for (ParameterInfo parameter : parameters) {
      swept.put(parameter.name(), domain(parameter));
      fixed.put(parameter.name(), parameter.jsonSchema());
    }
    JsonObject properties =
        new JsonObject()
            .put("name", object("string").put("minLength", 1).put("maxLength", 200))
            .put("description", object("string").put("maxLength", 10_000))
            .put("search", search())
            .put("max_trials", maxTrials())
            .put("seed", seed())
            .put("parameters", parametersSchema(swept))
            .put("fixed", strict(fixed))
            .put("metric", metric())
            .put("max_concurrent", maxConcurrent())
            .put("priority", integer(-1000, 1000).put("default", 0))
            .put("max_attempts", integer(1, 20).put("default", 3))
            .put("baselines", baselines())
            .put("asha", asha());
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("$id", "https://cliplab.dev/schemas/sweep-spec.json")
        .put("title", "cliplab sweep spec")
        .put("type", "object")
        .put("required", new JsonArray().add("name").add("parameters"))
        .put("additionalProperties", false)
        .put("properties", properties)
        .put("allOf", rules());
  }

  /** A list of values; for numeric parameters also a range or a distribution. */
  private static JsonObject domain(ParameterInfo parameter) {
    JsonObject item = parameter.jsonSchema();
    item.remove("description");
    item.remove("default");
    JsonObject list =
        object("array").put("minItems", 1).put("uniqueItems", true).put("items", item);
    if (!numeric(parameter)) {
      return list.put("description", parameter.description() + " A list of values.");
    }
    JsonArray kinds = distributions(parameter);
    return new JsonObject()
        .put(
            "description",
            parameter.description()
                + " A list of values, a {min, max, step} range, or a distribution ("
                + String.join(", ", kinds.getList())
                + ") for search random or asha.")
        .put("if", object("array"))
        .put("then", list)
        .put(
            "else",
            new JsonObject()
                .put("if", object("object").put("required", new JsonArray().add("distribution")))
                .put("then", distribution(parameter, kinds))
                .put("else", range(parameter)));
  }

  /** Bounds of the parameter's type inside its own range. */
  private static JsonObject bound(ParameterInfo parameter) {
    return object(integral(parameter) ? "integer" : "number")
        .put("minimum", parameter.minimum())
        .put("maximum", parameter.maximum());
  }

  private static JsonObject range(ParameterInfo parameter) {
    JsonObject step =
        integral(parameter) ? integer(1, null) : object("number").put("exclusiveMinimum", 0);
    JsonObject keys =
        new JsonObject()
            .put("min", bound(parameter))
            .put("max", bound(parameter))
            .put("step", step);
    return strict(keys).put("required", new JsonArray(RANGE_KEYS));
  }

  private static JsonArray distributions(ParameterInfo parameter) {
    return integral(parameter)
        ? new JsonArray().add(Distribution.INT_UNIFORM)
        : new JsonArray(Distribution.CONTINUOUS);
  }

  private static JsonObject distribution(ParameterInfo parameter, JsonArray kinds) {
    JsonObject keys =
        new JsonObject()
            .put("distribution", new JsonObject().put("enum", kinds))
            .put("min", bound(parameter))
            .put("max", bound(parameter));
    return strict(keys).put("required", new JsonArray(DISTRIBUTION_KEYS));
  }

  private static JsonObject parametersSchema(JsonObject swept) {
    return strict(swept)
        .put("minProperties", 1)
        .put(
            "description", "The trial parameters to sweep; a grid is the product of their values.");
  }

  private static JsonObject search() {
    return new JsonObject()
        .put("enum", new JsonArray().add("grid").add("random").add("asha"))
        .put("default", "grid")
        .put(
            "description",
            "grid: every combination; random: max_trials points drawn with seed; asha: points"
                + " drawn as random does, stopped early at rungs by metric.");
  }

  private static JsonObject maxTrials() {
    return integer(1, SpecValidator.MAX_TRIALS)
        .put(
            "description",
            "random and asha: how many points to draw; grid: a cap the grid may not exceed.");
  }

  private static JsonObject seed() {
    return integer(0, null)
        .put("default", 0)
        .put(
            "description",
            "Seed of random and asha sampling: the same seed draws the same points.");
  }

  private static JsonObject metric() {
    JsonObject name =
        object("string")
            .put("pattern", "^(epoch_loss|[A-Za-z0-9_-]+\\.[A-Za-z0-9_]+\\.[A-Za-z0-9_]+)$")
            .put(
                "description",
                "epoch_loss (training, per epoch) or <phase>.<task>.<metric> of an evaluation.");
    JsonObject goal = new JsonObject().put("enum", new JsonArray().add("maximize").add("minimize"));
    return strict(new JsonObject().put("name", name).put("goal", goal))
        .put("required", new JsonArray().add("name").add("goal"))
        .put(
            "description", "The metric the sweep optimises and whether higher or lower is better.");
  }

  private static JsonObject maxConcurrent() {
    return new JsonObject()
        .put("type", new JsonArray().add("integer").add("null"))
        .put("minimum", 1)
        .put("description", "At most this many of the sweep's trials run at once; null: no limit.");
  }

  private static JsonObject baselines() {
    return object("boolean")
        .put("default", false)
        .put(
            "description",
            "Queue each point's CLIP baseline (infonce, all negatives) unless a trial with the"
                + " same parameters already exists.");
  }

  private static JsonObject asha() {
    JsonObject keys =
        new JsonObject()
            .put("reduction_factor", integer(2, null).put("default", 3))
            .put("min_epochs", integer(1, null).put("default", 1));
    return strict(keys)
        .put(
            "description",
            "ASHA's rungs, at min_epochs * reduction_factor^k epochs; only with search asha.");
  }

  /** Rules between keys; each description is the message of the error it raises. */
  private static JsonArray rules() {
    JsonObject sampled =
        new JsonObject()
            .put(
                "properties", new JsonObject().put("search", new JsonObject().put("enum", SAMPLED)))
            .put("required", new JsonArray().add("search"));
    JsonObject asha =
        new JsonObject()
            .put(
                "properties", new JsonObject().put("search", new JsonObject().put("const", "asha")))
            .put("required", new JsonArray().add("search"));
    JsonObject noDistribution =
        new JsonObject()
            .put(
                "additionalProperties",
                new JsonObject()
                    .put(
                        "not",
                        object("object").put("required", new JsonArray().add("distribution"))));
    return new JsonArray()
        .add(
            rule(
                sampled,
                requires("max_trials"),
                "is required with search random or asha: how many points to draw"))
        .add(
            rule(
                asha, requires("metric"), "is required with search asha: the metric rungs compare"))
        .add(
            rule(
                asha,
                new JsonObject()
                    .put(
                        "properties",
                        new JsonObject()
                            .put(
                                "metric",
                                new JsonObject()
                                    .put(
                                        "properties",
                                        new JsonObject()
                                            .put(
                                                "name",
                                                new JsonObject().put("const", "epoch_loss"))))),
                "must be epoch_loss with search asha: rungs compare trials at epoch ends, and"
                    + " epoch_loss is the metric recorded at every epoch's end"))
        .add(
            rule(
                new JsonObject().put("not", asha),
                new JsonObject().put("properties", new JsonObject().put("asha", forbidden())),
                "applies only with search asha"))
        .add(
            rule(
                new JsonObject().put("not", sampled),
                new JsonObject()
                    .put("properties", new JsonObject().put("parameters", noDistribution)),
                "a distribution needs search random or asha; a grid takes a list of values or a"
                    + " {min, max, step} range"));
  }

  private static JsonObject rule(JsonObject condition, JsonObject then, String message) {
    return new JsonObject().put("description", message).put("if", condition).put("then", then);
  }

  private static JsonObject requires(String key) {
    return new JsonObject().put("required", new JsonArray().add(key));
  }

  private static JsonObject forbidden() {
    return new JsonObject().put("not", new JsonObject());
  }

  private static JsonObject strict(JsonObject properties) {
    return object("object").put("additionalProperties", false).put("properties", properties);
  }

  private static JsonObject integer(Integer min, Integer max) {
    JsonObject schema = object("integer").put("minimum", min);
    return max == null ? schema : schema.put("maximum", max);
  }

  private static JsonObject object(String type) {
    return new JsonObject().put("type", type);
  }
}
