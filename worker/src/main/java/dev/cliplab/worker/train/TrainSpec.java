package dev.cliplab.worker.train;

import dev.cliplab.worker.eval.EvaluationSuite;
import dev.cliplab.worker.objective.MiObjective;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hyperparameters of one training run, as a sweep stores them (snake_case JSON).
 *
 * <p>The defaults are the demo configuration, sized so that a trial on the demo corpus, evaluations
 * included, takes a minute or two on a two-core CPU; {@link #parameters()} describes every
 * parameter, and the README lists them with the paper's values where they differ. Two specs are
 * equal when their canonical JSON ({@link #toJson()}, every parameter resolved) is equal.
 */
public final class TrainSpec {

  /** The value {@link #negatives()} takes for "every other caption in the batch". */
  public static final int ALL_NEGATIVES = 0;

  /** The image encoders, ResNets by depth; resnet10 has one basic block per stage. */
  public static final List<String> IMAGE_ENCODERS =
      List.of("resnet10", "resnet18", "resnet34", "resnet50");

  /** The optimizers: AdamW as OpenCLIP trains CLIP, SGD with momentum as the paper's code. */
  public static final List<String> OPTIMIZERS = List.of("adamw", "sgd");

  private static final int BIG = 1 << 20;

  private static final List<ParameterInfo> PARAMETERS =
      List.of(
          ParameterInfo.choice("objective", "jsd", MiObjective.NAMES, "The MI bound maximised."),
          ParameterInfo.count(
              "negatives",
              1,
              65_535,
              "Negative captions per positive pair, or \"all\" in-batch; default 1 for jsd, all"
                  + " for the other bounds."),
          ParameterInfo.integer("batch_size", 128, 2, 65_536, "Image–caption pairs per step."),
          ParameterInfo.integer("epochs", 8, 1, 10_000, "Passes over the training images."),
          ParameterInfo.integer("image_size", 32, 8, 1024, "Side of the input images, px."),
          ParameterInfo.bool("augment", true, "Random resized crops and colour jitter."),
          ParameterInfo.number(
              "crop_scale_min", 0.2, 0.01, 1, "Smallest crop area, as a fraction of the image."),
          ParameterInfo.number(
              "color_jitter", 0.4, 0, 1, "Brightness, contrast, saturation jitter; hue is 1/4."),
          ParameterInfo.bool("hflip", false, "Horizontal flips, swapping left/right in captions."),
          ParameterInfo.choice("optimizer", "adamw", OPTIMIZERS, "AdamW or SGD with momentum."),
          ParameterInfo.number("learning_rate", 4e-3, 1e-7, 10, "Peak learning rate."),
          ParameterInfo.optionalNumber(
              "image_learning_rate",
              1e-7,
              10,
              "Peak learning rate of the image encoder; default: learning_rate."),
          ParameterInfo.number("momentum", 0.9, 0, 0.999, "SGD momentum."),
          ParameterInfo.number("weight_decay", 0.05, 0, 10, "Weight decay, not on norms/biases."),
          ParameterInfo.integer("lookahead_k", 0, 0, 1000, "Lookahead sync period (0: off)."),
          ParameterInfo.number("lookahead_alpha", 0.5, 0.01, 1, "Lookahead step towards fast."),
          ParameterInfo.integer("warmup_steps", 20, 0, BIG, "Linear warm-up steps."),
          ParameterInfo.number("grad_clip_norm", 10, 0, 1e6, "Global gradient-norm cap (0: off)."),
          ParameterInfo.integer("seed", 0, 0, Integer.MAX_VALUE, "Random seed of the run."),
          ParameterInfo.choice(
              "image_encoder", "resnet10", IMAGE_ENCODERS, "ResNet depth of the image encoder."),
          ParameterInfo.integer(
              "image_width", 16, 1, 1024, "ResNet base width (64: the standard ResNet)."),
          ParameterInfo.integer("embed_dim", 128, 1, 8192, "Shared embedding size."),
          ParameterInfo.integer("text_layers", 1, 0, 48, "Transformer layers."),
          ParameterInfo.integer("text_hidden", 128, 1, 8192, "Transformer hidden size."),
          ParameterInfo.integer("text_heads", 4, 1, 128, "Attention heads."),
          ParameterInfo.integer(
              "max_tokens", 30, 2, 512, "Caption length in tokens, BOS included."),
          ParameterInfo.integer("min_word_count", 2, 1, BIG, "Minimum count of a word."),
          ParameterInfo.number(
              "prior_weight", 0, 0, 100, "Weight of the Deep InfoMax prior term (0: off)."),
          ParameterInfo.integer(
              "checkpoint_every", 500, 0, BIG, "Steps between checkpoints (0: epoch ends only)."),
          ParameterInfo.strings(
              "evaluations",
              EvaluationSuite.TASKS,
              EvaluationSuite.TASKS,
              "Transfer evaluations run before and after training."),
          ParameterInfo.integer(
              "max_train_images", 0, 0, Integer.MAX_VALUE, "Training images used (0 = all)."));

  private final JsonObject given;
  private final Map<String, Object> values;

  private TrainSpec(JsonObject given, Map<String, Object> values) {
    this.given = given;
    this.values = values;
    if (textHidden() % textHeads() != 0) {
      throw new IllegalArgumentException(
          "invalid value for text_heads: "
              + textHeads()
              + " (must divide text_hidden "
              + textHidden()
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
    if (v.get("negatives") == null) {
      // CLIP-Lite's point is one negative; the other bounds are usually run on the whole batch.
      v.put("negatives", "jsd".equals(v.get("objective")) ? 1 : ALL_NEGATIVES);
    }
    if (v.get("image_learning_rate") == null) {
      v.put("image_learning_rate", v.get("learning_rate"));
    }
    return new TrainSpec(json.copy(), v);
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
   * Writes every field, defaults resolved, so the result is a canonical form of the spec; {@code
   * negatives} is written as {@code "all"} or a number.
   *
   * @return the parameters, snake_case
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    values.forEach(
        (name, value) -> json.put(name, value instanceof List<?> l ? new JsonArray(l) : value));
    if (negatives() == ALL_NEGATIVES) {
      json.put("negatives", ParameterInfo.ALL);
    }
    return json;
  }

  /**
   * A copy with some fields replaced; parameters whose default depends on others (negatives, the
   * image learning rate) follow the new values unless they were given explicitly.
   *
   * @param changes snake_case fields to override
   * @return the new spec
   */
  public TrainSpec with(JsonObject changes) {
    return fromJson(given.copy().mergeIn(changes));
  }

  /** Returns the MI bound maximised, one of {@link MiObjective#NAMES}. */
  public String objective() {
    return (String) values.get("objective");
  }

  /** Returns the negatives per positive, or {@link #ALL_NEGATIVES}. */
  public int negatives() {
    return integer("negatives");
  }

  /** Returns the image–caption pairs per step. */
  public int batchSize() {
    return integer("batch_size");
  }

  /** Returns the passes over the training images. */
  public int epochs() {
    return integer("epochs");
  }

  /** Returns the side of the square input images, in pixels. */
  public int imageSize() {
    return integer("image_size");
  }

  /** Returns whether training images get random resized crops and colour jitter. */
  public boolean augment() {
    return (Boolean) values.get("augment");
  }

  /** Returns the smallest random crop's area as a fraction of the image. */
  public double cropScaleMin() {
    return number("crop_scale_min");
  }

  /** Returns the brightness, contrast and saturation jitter strength; hue jitters a quarter. */
  public double colorJitter() {
    return number("color_jitter");
  }

  /** Returns whether training images are flipped, swapping "left" and "right" in captions. */
  public boolean hflip() {
    return (Boolean) values.get("hflip");
  }

  /** Returns the optimizer, one of {@link #OPTIMIZERS}. */
  public String optimizer() {
    return (String) values.get("optimizer");
  }

  /** Returns the peak learning rate of everything but the image encoder. */
  public double learningRate() {
    return number("learning_rate");
  }

  /** Returns the peak learning rate of the image encoder. */
  public double imageLearningRate() {
    return number("image_learning_rate");
  }

  /** Returns the SGD momentum. */
  public double momentum() {
    return number("momentum");
  }

  /** Returns the weight decay, applied to matrices and kernels only. */
  public double weightDecay() {
    return number("weight_decay");
  }

  /** Returns the Lookahead synchronisation period in steps, 0 when Lookahead is off. */
  public int lookaheadK() {
    return integer("lookahead_k");
  }

  /** Returns the fraction of the way the slow weights move towards the fast ones at a sync. */
  public double lookaheadAlpha() {
    return number("lookahead_alpha");
  }

  /** Returns the steps of linear warm-up before the cosine decay to zero. */
  public int warmupSteps() {
    return integer("warmup_steps");
  }

  /** Returns the cap on the global gradient norm, 0 when gradients are not clipped. */
  public double gradClipNorm() {
    return number("grad_clip_norm");
  }

  /** Returns the seed of initialisation, shuffling, augmentation and caption choice. */
  public int seed() {
    return integer("seed");
  }

  /** Returns the image encoder, one of {@link #IMAGE_ENCODERS}. */
  public String imageEncoder() {
    return (String) values.get("image_encoder");
  }

  /** Returns the ResNet base width; 64 is the standard ResNet. */
  public int imageWidth() {
    return integer("image_width");
  }

  /** Returns the size of the shared embedding space. */
  public int embedDim() {
    return integer("embed_dim");
  }

  /** Returns the number of transformer layers. */
  public int textLayers() {
    return integer("text_layers");
  }

  /** Returns the transformer hidden size. */
  public int textHidden() {
    return integer("text_hidden");
  }

  /** Returns the number of attention heads. */
  public int textHeads() {
    return integer("text_heads");
  }

  /** Returns the caption length in tokens, the leading BOS included. */
  public int maxTokens() {
    return integer("max_tokens");
  }

  /** Returns how often a word must occur in the training captions to get its own id. */
  public int minWordCount() {
    return integer("min_word_count");
  }

  /** Returns the weight of the Deep InfoMax prior term, 0 when it is off. */
  public double priorWeight() {
    return number("prior_weight");
  }

  /** Returns the steps between checkpoints, 0 for checkpoints at epoch ends only. */
  public int checkpointEvery() {
    return integer("checkpoint_every");
  }

  /** Returns the transfer evaluations to run before and after training, in the suite's names. */
  @SuppressWarnings("unchecked")
  public List<String> evaluations() {
    return (List<String>) values.get("evaluations");
  }

  /** Returns the number of training images used, 0 for all. */
  public int maxTrainImages() {
    return integer("max_train_images");
  }

  private int integer(String name) {
    return (Integer) values.get(name);
  }

  private double number(String name) {
    return ((Number) values.get(name)).doubleValue();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainSpec other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }

  @Override
  public String toString() {
    return "TrainSpec" + toJson().encode();
  }
}
