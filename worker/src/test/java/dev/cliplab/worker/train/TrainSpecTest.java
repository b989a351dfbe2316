package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainSpecTest {

  @Test
  @DisplayName("an empty object gives the defaults, and toJson writes every parameter")
  void defaults() {
    TrainSpec spec = TrainSpec.fromJson(new JsonObject());
    assertThat(spec).isEqualTo(TrainSpec.defaults());
    assertThat(spec.toJson().fieldNames())
        .containsExactlyInAnyOrderElementsOf(TrainSpec.parameterNames());
    for (ParameterInfo p : TrainSpec.parameters()) {
      if (p.defaultValue() == null) {
        continue;
      }
      Object written = spec.toJson().getValue(p.name());
      Object expected = p.defaultValue() instanceof List<?> l ? new JsonArray(l) : p.defaultValue();
      assertThat(written).as(p.name()).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName("given fields override the defaults and survive a round trip")
  void roundTrip() {
    JsonObject json =
        new JsonObject()
            .put("objective", "infonce")
            .put("batch_size", 128)
            .put("learning_rate", 5e-4)
            .put("image_encoder", "resnet18")
            .put("negatives", 3)
            .put("text_hidden", 96)
            .put("text_heads", 3);
    TrainSpec spec = TrainSpec.fromJson(json);
    assertThat(spec.objective()).isEqualTo("infonce");
    assertThat(spec.batchSize()).isEqualTo(128);
    assertThat(spec.learningRate()).isEqualTo(5e-4);
    assertThat(spec.imageEncoder()).isEqualTo("resnet18");
    assertThat(spec.negatives()).isEqualTo(3);
    assertThat(spec.epochs()).isEqualTo(TrainSpec.defaults().epochs());
    assertThat(TrainSpec.fromJson(spec.toJson())).isEqualTo(spec);
  }

  @Test
  @DisplayName("a whole number written as a JSON double is accepted for an integer field")
  void wholeDoubleIsAnInteger() {
    assertThat(TrainSpec.fromJson(new JsonObject().put("epochs", 3.0)).epochs()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "objective | \"clip\"",
        "objective | 3",
        "batch_size | 1",
        "batch_size | 64.5",
        "batch_size | \"64\"",
        "learning_rate | 0",
        "weight_decay | -0.1",
        "image_size | 4",
        "image_encoder | \"resnet19\"",
        "negatives | 0",
        "negatives | \"every\"",
        "negatives | true",
        "augment | 1",
        "crop_scale_min | 0",
        "max_tokens | 1",
      })
  @DisplayName("a wrong value is rejected with a message naming the field")
  void wrongValueNamesField(String field, String value) {
    JsonObject json = new JsonObject("{\"" + field + "\": " + value + "}");
    assertThatThrownBy(() -> TrainSpec.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(field);
  }

  @Test
  @DisplayName("an unknown field is rejected by name, so a typo never silently uses a default")
  void unknownField() {
    assertThatThrownBy(() -> TrainSpec.fromJson(new JsonObject().put("batchsize", 32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batchsize");
  }

  @Test
  @DisplayName("heads that do not divide the hidden size are rejected naming text_heads")
  void headsMustDivideHidden() {
    JsonObject json = new JsonObject().put("text_hidden", 100).put("text_heads", 3);
    assertThatThrownBy(() -> TrainSpec.fromJson(json)).hasMessageContaining("text_heads");
  }

  @Test
  @DisplayName("the JSON Schema describes every parameter with its type and bounds")
  void jsonSchema() {
    JsonObject schema = TrainSpec.jsonSchema();
    JsonObject properties = schema.getJsonObject("properties");
    assertThat(properties.fieldNames()).containsExactlyElementsOf(TrainSpec.parameterNames());
    assertThat(schema.getBoolean("additionalProperties")).isFalse();
    assertThat(properties.getJsonObject("objective").getJsonArray("enum").getList())
        .containsExactlyElementsOf(dev.cliplab.worker.objective.MiObjective.NAMES);
    JsonObject batch = properties.getJsonObject("batch_size");
    assertThat(batch.getString("type")).isEqualTo("integer");
    assertThat(batch.getInteger("minimum")).isEqualTo(2);
    assertThat(properties.getJsonObject("learning_rate").getString("type")).isEqualTo("number");
    JsonArray negatives = properties.getJsonObject("negatives").getJsonArray("oneOf");
    assertThat(negatives.getJsonObject(0).getInteger("minimum")).isEqualTo(1);
    assertThat(negatives.getJsonObject(1).getString("const")).isEqualTo("all");
    assertThat(properties.getJsonObject("augment").getString("type")).isEqualTo("boolean");
  }

  @Test
  @DisplayName("negatives default to one for jsd and to the whole batch for infonce")
  void negativesFollowTheBound() {
    assertThat(TrainSpec.defaults().negatives()).isEqualTo(1);
    TrainSpec clip = TrainSpec.defaults().with(new JsonObject().put("objective", "infonce"));
    assertThat(clip.negatives()).isEqualTo(TrainSpec.ALL_NEGATIVES);
    assertThat(clip.toJson().getString("negatives")).isEqualTo("all");
    assertThat(TrainSpec.fromJson(clip.toJson())).isEqualTo(clip);
    TrainSpec three = TrainSpec.fromJson(new JsonObject().put("negatives", 3));
    assertThat(three.with(new JsonObject().put("objective", "infonce")).negatives()).isEqualTo(3);
  }

  @Test
  @DisplayName("the image encoder's learning rate follows learning_rate unless given")
  void imageLearningRate() {
    TrainSpec spec = TrainSpec.fromJson(new JsonObject().put("learning_rate", 0.01));
    assertThat(spec.imageLearningRate()).isEqualTo(0.01);
    JsonObject both = new JsonObject().put("learning_rate", 1e-3).put("image_learning_rate", 0.2);
    assertThat(TrainSpec.fromJson(both).imageLearningRate()).isEqualTo(0.2);
    assertThat(TrainSpec.fromJson(both).learningRate()).isEqualTo(1e-3);
  }

  @Test
  @DisplayName("with() replaces only the given fields")
  void withChanges() {
    TrainSpec changed = TrainSpec.defaults().with(new JsonObject().put("seed", 9));
    assertThat(changed.seed()).isEqualTo(9);
    assertThat(changed.toJson().put("seed", TrainSpec.defaults().seed()))
        .isEqualTo(TrainSpec.defaults().toJson());
  }
}
