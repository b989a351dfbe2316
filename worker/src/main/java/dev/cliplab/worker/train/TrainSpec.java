package dev.cliplab.worker.train;

import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hyperparameters of one training run, as a sweep stores them (snake_case JSON); the defaults
 * are the demo configuration, sized so that a trial on the demo corpus, evaluations included, takes
 * under two minutes on a two-core CPU at batch size 32 or 128.
 *
 * @param objective the MI bound, {@code "jsd"} (CLIP-Lite) or {@code "infonce"} (CLIP)
 * @param batchSize image–caption pairs per step
 * @param epochs passes over the training images
 * @param imageSize side of the square input images, in pixels
 * @param learningRate peak AdamW learning rate
 * @param weightDecay decoupled AdamW weight decay, applied to matrices and kernels only
 * @param warmupSteps steps of linear warm-up before the cosine decay to zero
 * @param seed seed of initialisation, shuffling and caption choice
 * @param embedDim size of the shared embedding space
 * @param imageWidth ResNet base width
 * @param imageDepths ResNet basic blocks per stage
 * @param textLayers transformer layers
 * @param textHidden transformer hidden size
 * @param textHeads attention heads
 * @param maxTokens caption length in tokens, the leading BOS included
 * @param minWordCount how often a word must occur in the training captions to get its own id
 * @param maxTrainImages use at most this many training images (0 = all)
 */
public record TrainSpec(
    String objective,
    int batchSize,
    int epochs,
    int imageSize,
    double learningRate,
    double weightDecay,
    int warmupSteps,
    int seed,
    int embedDim,
    int imageWidth,
    List<Integer> imageDepths,
    int textLayers,
    int textHidden,
    int textHeads,
    int maxTokens,
    int minWordCount,
    int maxTrainImages) {

  private static final int BIG = 1 << 20;

  private static final List<ParameterInfo> PARAMETERS =
      List.of(
          ParameterInfo.choice("objective", "jsd", MiObjective.NAMES, "The MI bound maximised."),
          ParameterInfo.integer("batch_size", 128, 2, 65_536, "Image–caption pairs per step."),
          ParameterInfo.integer("epochs", 8, 1, 10_000, "Passes over the training images."),
          ParameterInfo.integer("image_size", 32, 8, 1024, "Side of the input images, px."),
          ParameterInfo.number("learning_rate", 4e-3, 1e-7, 10, "Peak AdamW learning rate."),
          ParameterInfo.number("weight_decay", 0.05, 0, 10, "Decoupled AdamW weight decay."),
          ParameterInfo.integer("warmup_steps", 20, 0, BIG, "Linear warm-up steps."),
          ParameterInfo.integer("seed", 0, 0, Integer.MAX_VALUE, "Random seed of the run."),
          ParameterInfo.integer("embed_dim", 128, 1, 8192, "Shared embedding size."),
          ParameterInfo.integer("image_width", 16, 1, 1024, "ResNet base width."),
          ParameterInfo.integers(
              "image_depths", List.of(1, 1, 1, 1), 1, 64, "ResNet basic blocks per stage."),
          ParameterInfo.integer("text_layers", 1, 0, 48, "Transformer layers."),
          ParameterInfo.integer("text_hidden", 128, 1, 8192, "Transformer hidden size."),
          ParameterInfo.integer("text_heads", 4, 1, 128, "Attention heads."),
          ParameterInfo.integer("max_tokens", 16, 2, 512, "Caption length in tokens."),
          ParameterInfo.integer("min_word_count", 2, 1, BIG, "Minimum count of a word."),
          ParameterInfo.integer(
              "max_train_images", 0, 0, Integer.MAX_VALUE, "Training images used (0 = all)."));

  /** Checks the values that one field's range cannot express. */
  public TrainSpec {
    imageDepths = List.copyOf(imageDepths);
    if (textHidden % textHeads != 0) {
      throw new IllegalArgumentException(
          "invalid value for text_heads: "
              + textHeads
              + " (must divide text_hidden "
              + textHidden
              + ")");
    }
  }

  /**
   * The demo configuration: every field at its default.
   *
   * @return the default spec
   */
  public static TrainSpec defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads a spec, taking the default for every absent field.
   *
   * @param json the parameters, snake_case
   * @return the spec
   * @throws IllegalArgumentException naming the field, for an unknown field or a value of the wrong
   *     type or range
   */
  public static TrainSpec fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!parameterNames().contains(field)) {
        throw new IllegalArgumentException(
            "unknown field " + field + " (expected one of " + parameterNames() + ")");
      }
    }
    Map<String, Object> v = new LinkedHashMap<>();
    PARAMETERS.forEach(p -> v.put(p.name(), p.read(json)));
    @SuppressWarnings("unchecked")
    List<Integer> depths = (List<Integer>) v.get("image_depths");
    return new TrainSpec(
        (String) v.get("objective"),
        (int) v.get("batch_size"),
        (int) v.get("epochs"),
        (int) v.get("image_size"),
        ((Number) v.get("learning_rate")).doubleValue(),
        ((Number) v.get("weight_decay")).doubleValue(),
        (int) v.get("warmup_steps"),
        (int) v.get("seed"),
        (int) v.get("embed_dim"),
        (int) v.get("image_width"),
        depths,
        (int) v.get("text_layers"),
        (int) v.get("text_hidden"),
        (int) v.get("text_heads"),
        (int) v.get("max_tokens"),
        (int) v.get("min_word_count"),
        (int) v.get("max_train_images"));
  }

  /**
   * The JSON field names, in a fixed order.
   *
   * @return the snake_case names of every parameter
   */
  public static List<String> parameterNames() {
    return PARAMETERS.stream().map(ParameterInfo::name).toList();
  }

  /**
   * The type, range, default and meaning of every parameter, in the order of {@link
   * #parameterNames()}.
   *
   * @return one description per parameter
   */
  public static List<ParameterInfo> parameters() {
    return PARAMETERS;
  }

  /**
   * A JSON Schema (draft 2020-12) object schema that accepts exactly what {@link #fromJson}
   * accepts, except the rule that text_heads divides text_hidden.
   *
   * @return the schema
   */
  public static JsonObject jsonSchema() {
    JsonObject properties = new JsonObject();
    PARAMETERS.forEach(p -> properties.put(p.name(), p.jsonSchema()));
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("type", "object")
        .put("properties", properties)
        .put("additionalProperties", false);
  }

  /**
   * Writes every field, defaults included, so the result is a canonical form of the spec.
   *
   * @return the parameters, snake_case
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("objective", objective)
        .put("batch_size", batchSize)
        .put("epochs", epochs)
        .put("image_size", imageSize)
        .put("learning_rate", learningRate)
        .put("weight_decay", weightDecay)
        .put("warmup_steps", warmupSteps)
        .put("seed", seed)
        .put("embed_dim", embedDim)
        .put("image_width", imageWidth)
        .put("image_depths", new JsonArray(imageDepths))
        .put("text_layers", textLayers)
        .put("text_hidden", textHidden)
        .put("text_heads", textHeads)
        .put("max_tokens", maxTokens)
        .put("min_word_count", minWordCount)
        .put("max_train_images", maxTrainImages);
  }

  /**
   * A copy with some fields replaced.
   *
   * @param changes snake_case fields to override
   * @return the new spec
   */
  public TrainSpec with(JsonObject changes) {
    return fromJson(toJson().mergeIn(changes));
  }
}
