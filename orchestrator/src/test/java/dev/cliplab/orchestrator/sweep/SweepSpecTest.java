package dev.cliplab.orchestrator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepSpecTest {

  private final SpecValidator validator = SpecValidator.create();

  @Test
  @DisplayName("a 2 x 2 grid expands to the four combinations, each with the fixed settings")
  void gridExpandsToEveryCombination() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "demo",
                 "parameters": {"objective": ["jsd", "infonce"], "batch_size": [32, 128]},
                 "fixed": {"epochs": 3, "image_size": 48}}"""));

    List<JsonObject> trials = spec.expand();

    assertThat(spec.size()).isEqualTo(4);
    assertThat(trials)
        .containsExactly(
            new JsonObject(
                "{\"epochs\":3,\"image_size\":48,\"objective\":\"jsd\",\"batch_size\":32}"),
            new JsonObject(
                "{\"epochs\":3,\"image_size\":48,\"objective\":\"jsd\",\"batch_size\":128}"),
            new JsonObject(
                "{\"epochs\":3,\"image_size\":48,\"objective\":\"infonce\",\"batch_size\":32}"),
            new JsonObject(
                "{\"epochs\":3,\"image_size\":48,\"objective\":\"infonce\",\"batch_size\":128}"));
    assertThat(trials.stream().map(ParamsHash::of).distinct()).hasSize(4);
  }

  @Test
  @DisplayName("a 3 x 2 x 2 grid makes 12 distinct trials")
  void largerGridCounts() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "g", "parameters": {"batch_size": [16, 32, 64],
                  "objective": ["jsd", "infonce"], "learning_rate": [0.001, 0.0003]}}"""));

    assertThat(spec.expand()).hasSize(12);
    assertThat(spec.expand().stream().map(ParamsHash::of).distinct()).hasSize(12);
  }

  @Test
  @DisplayName(
      "a range {min: 16, max: 64, step: 16} expands to 16, 32, 48, 64 in the grid's product")
  void rangeExpandsToItsValues() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "r", "parameters": {"objective": ["jsd", "infonce"],
                  "batch_size": {"min": 16, "max": 64, "step": 16}}}"""));

    List<Object> sizes = spec.expand().stream().map(p -> p.getValue("batch_size")).toList();
    List<Object> objectives = spec.expand().stream().map(p -> p.getValue("objective")).toList();

    assertThat(sizes).containsExactly(16, 32, 48, 64, 16, 32, 48, 64);
    assertThat(objectives.subList(0, 4)).containsOnly("jsd");
    assertThat(objectives.subList(4, 8)).containsOnly("infonce");
  }

  @Test
  @DisplayName("a step of 0.1 from 0.1 to 0.5 lands on the five decimals, not on binary sums")
  void decimalStepsAreExact() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "d", "parameters":
                  {"crop_scale_min": {"min": 0.1, "max": 0.5, "step": 0.1}}}"""));

    assertThat(spec.expand().stream().map(p -> p.getValue("crop_scale_min")))
        .containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
  }

  @Test
  @DisplayName("a spec keeps its search settings: max_trials, seed, metric and asha's rungs")
  void searchSettingsAreRead() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "a", "search": "asha", "max_trials": 3, "seed": 7,
                 "metric": {"name": "epoch_loss", "goal": "minimize"}, "max_concurrent": 2,
                 "asha": {"reduction_factor": 4}, "parameters": {"seed": [1, 2, 3]}}"""));

    assertThat(spec.search()).isEqualTo("asha");
    assertThat(spec.maxTrials()).isEqualTo(3);
    assertThat(spec.seed()).isEqualTo(7);
    assertThat(spec.metric()).isEqualTo("epoch_loss");
    assertThat(spec.goal()).isEqualTo("minimize");
    assertThat(spec.maxConcurrent()).isEqualTo(2);
    assertThat(spec.asha()).isEqualTo(new SweepSpec.Asha(4, 1));
    assertThat(spec.expand()).hasSize(3);
  }

  @Test
  @DisplayName("a grid without search settings has no metric, no cap and no concurrency limit")
  void defaultsOfAPlainGrid() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                "{\"name\": \"g\", \"max_concurrent\": null, \"parameters\": {\"seed\": [1]}}"));

    assertThat(spec.search()).isEqualTo("grid");
    assertThat(spec.maxConcurrent()).isNull();
    assertThat(spec.maxTrials()).isNull();
    assertThat(spec.metric()).isNull();
    assertThat(spec.goal()).isNull();
    assertThat(spec.asha()).isNull();
    assertThat(spec.priority()).isZero();
    assertThat(spec.maxAttempts()).isEqualTo(3);
  }

  @Test
  @DisplayName("the parameter hash ignores key order and trailing zeros but not values")
  void hashIsCanonical() {
    JsonObject a = new JsonObject("{\"learning_rate\": 0.50, \"batch_size\": 32}");
    JsonObject b = new JsonObject("{\"batch_size\": 32.0, \"learning_rate\": 0.5}");
    JsonObject c = new JsonObject("{\"batch_size\": 33, \"learning_rate\": 0.5}");

    assertThat(ParamsHash.canonical(a)).isEqualTo("{\"batch_size\":32,\"learning_rate\":0.5}");
    assertThat(ParamsHash.of(a)).isEqualTo(ParamsHash.of(b)).isNotEqualTo(ParamsHash.of(c));
  }

  @ParameterizedTest(name = "{0} -> field {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"parameters\": {\"batch_size\": [32]}}|name",
        "{\"name\": \"x\"}|parameters",
        "{\"name\": \"x\", \"parameters\": {}}|parameters",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": []}}|parameters.batch_size",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [32, 32]}}|parameters.batch_size",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [32, \"big\"]}}|parameters.batch_size[1]",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [1]}}|parameters.batch_size[0]",
        "{\"name\": \"x\", \"parameters\": {\"objective\": [\"jsd\", \"mine\"]}}|parameters.objective[1]",
        "{\"name\": \"x\", \"parameters\": {\"batch_sise\": [32]}}|parameters.batch_sise",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [32]}, \"fixed\": {\"epochs\": 0}}|fixed.epochs",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [32]}, \"fixed\": {\"batch_size\": 8}}|fixed.batch_size",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": [32]}, \"colour\": 1}|colour",
        "{\"name\": \"x\", \"parameters\": {\"batch_size\": 32}}|parameters.batch_size",
        "{\"name\": \"x\", \"parameters\": {\"text_heads\": [4, 3]}}|parameters.text_heads",
        "{\"name\": \"x\", \"parameters\": {\"text_heads\": [4]}, \"fixed\": {\"text_hidden\": 130}}|parameters.text_heads",
      })
  @DisplayName("a malformed spec is refused with the field that is wrong")
  void malformedSpecNamesTheField(String json, String field) {
    assertThatThrownBy(() -> validator.validate(new JsonObject(json)))
        .isInstanceOf(InvalidSpecException.class)
        .satisfies(
            e -> assertThat(((InvalidSpecException) e).errors().get(0).field()).isEqualTo(field));
  }

  @Test
  @DisplayName("a grid over the cap is refused before any row is written")
  void gridOverTheCapIsRefused() {
    StringBuilder values = new StringBuilder();
    for (int i = 2; i < 2 + 150; i++) {
      values.append(i == 2 ? "" : ",").append(i);
    }
    String json =
        "{\"name\": \"big\", \"parameters\": {\"batch_size\": ["
            + values
            + "], \"seed\": ["
            + values
            + "]}}";

    assertThatThrownBy(() -> validator.validate(new JsonObject(json)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageContaining("22500 trials");
  }
}
