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
            .put("image_depths", new JsonArray().add(2).add(2))
            .put("text_hidden", 96)
            .put("text_heads", 3);
    TrainSpec spec = TrainSpec.fromJson(json);
    assertThat(spec.objective()).isEqualTo("infonce");
    assertThat(spec.batchSize()).isEqualTo(128);
    assertThat(spec.learningRate()).isEqualTo(5e-4);
    assertThat(spec.imageDepths()).containsExactly(2, 2);
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
        "image_depths | []",
        "image_depths | [2, 0]",
        "image_depths | 2",
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
        .containsExactly("jsd", "infonce");
    JsonObject batch = properties.getJsonObject("batch_size");
    assertThat(batch.getString("type")).isEqualTo("integer");
    assertThat(batch.getInteger("minimum")).isEqualTo(2);
    assertThat(properties.getJsonObject("learning_rate").getString("type")).isEqualTo("number");
    assertThat(
            properties.getJsonObject("image_depths").getJsonObject("items").getInteger("minimum"))
        .isEqualTo(1);
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
