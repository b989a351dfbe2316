package dev.cliplab.orchestrator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Random search's points: seeded, within their domains, distributed as asked, distinct. */
class RandomSearchTest {

  private static final String MIXED =
      """
      {"name": "r", "search": "%s", "max_trials": %d, "seed": %d,
       %s
       "parameters": {
         "objective": ["jsd", "infonce"],
         "batch_size": {"min": 16, "max": 64, "step": 16},
         "learning_rate": {"distribution": "log_uniform", "min": 1.0e-4, "max": 1.0e-2},
         "crop_scale_min": {"distribution": "uniform", "min": 0.1, "max": 0.5},
         "embed_dim": {"distribution": "int_uniform", "min": 64, "max": 256}},
       "fixed": {"epochs": 1}}""";

  private final SpecValidator validator = SpecValidator.create();

  private List<JsonObject> points(String search, int trials, long seed) {
    String extra =
        search.equals("asha")
            ? "\"metric\": {\"name\": \"epoch_loss\", \"goal\": \"minimize\"},"
            : "";
    return validator
        .validate(new JsonObject(String.format(MIXED, search, trials, seed, extra)))
        .expand();
  }

  @Test
  @DisplayName("the same seed draws the same points; another seed draws others")
  void sameSeedSamePoints() {
    List<JsonObject> first = points("random", 20, 42);

    assertThat(points("random", 20, 42)).isEqualTo(first);
    assertThat(points("random", 20, 43)).isNotEqualTo(first);
    assertThat(first).hasSize(20);
    assertThat(first).allSatisfy(p -> assertThat(p.getInteger("epochs")).isEqualTo(1));
  }

  @Test
  @DisplayName("asha draws its points exactly as random search does")
  void ashaSamplesLikeRandom() {
    assertThat(points("asha", 15, 5)).isEqualTo(points("random", 15, 5));
  }

  @Test
  @DisplayName("every drawn value lies in its domain: the list, the range's steps, the bounds")
  void valuesStayInTheirDomains() {
    List<JsonObject> points = points("random", 2000, 1);

    assertThat(points)
        .allSatisfy(
            p -> {
              assertThat(p.getString("objective")).isIn("jsd", "infonce");
              assertThat(p.getValue("batch_size")).isIn(16, 32, 48, 64);
              assertThat(p.getDouble("learning_rate")).isBetween(1.0e-4, 1.0e-2);
              assertThat(p.getDouble("crop_scale_min")).isBetween(0.1, 0.5);
              assertThat(p.getValue("embed_dim")).isInstanceOf(Integer.class);
              assertThat(p.getInteger("embed_dim")).isBetween(64, 256);
            });
    // int_uniform is inclusive: in 2000 draws over 193 integers both ends turn up (each is missed
    // with probability (192/193)^2000, about 3e-5).
    assertThat(points.stream().map(p -> p.getInteger("embed_dim")).collect(Collectors.toSet()))
        .contains(64, 256);
  }

  @Test
  @DisplayName("log_uniform's median is near sqrt(min * max) = 1e-3; uniform's mean near 0.3")
  void distributionsHaveTheirClosedFormCentres() {
    List<JsonObject> points = points("random", 10_000, 3);

    double[] rates =
        points.stream().mapToDouble(p -> p.getDouble("learning_rate")).sorted().toArray();
    double median = (rates[4999] + rates[5000]) / 2;
    double meanCrop =
        points.stream().mapToDouble(p -> p.getDouble("crop_scale_min")).average().orElseThrow();
    long jsd = points.stream().filter(p -> p.getString("objective").equals("jsd")).count();

    // The sample median of 10,000 uniform draws has a standard deviation of 1 / (2 sqrt(n)) =
    // 0.005 in the uniform's units; on the log scale, times ln(100) = 4.6: 0.023. Allow 4 of them.
    assertThat(Math.abs(Math.log(median) - Math.log(Math.sqrt(1.0e-4 * 1.0e-2)))).isLessThan(0.092);
    // The mean of U(0.1, 0.5) is 0.3 with a standard error of 0.4 / sqrt(12 n) = 0.00115.
    assertThat(meanCrop).isCloseTo(0.3, offset(0.0046));
    // A fair choice between two values: 5,000 with a standard deviation of 50.
    assertThat(jsd).isBetween(4800L, 5200L);
  }

  @Test
  @DisplayName("a space of exactly max_trials points is drawn whole, each point once")
  void duplicatesAreRedrawn() {
    SweepSpec spec =
        validator.validate(
            new JsonObject(
                """
                {"name": "small", "search": "random", "max_trials": 8, "seed": 9,
                 "parameters": {"objective": ["jsd", "infonce"],
                   "batch_size": {"min": 16, "max": 64, "step": 16}}}"""));

    assertThat(spec.expand()).hasSize(8);
    assertThat(spec.expand().stream().map(ParamsHash::of).distinct()).hasSize(8);
    assertThat(spec.expand())
        .containsExactlyInAnyOrderElementsOf(
            validator
                .validate(
                    new JsonObject(
                        """
                        {"name": "grid", "parameters": {"objective": ["jsd", "infonce"],
                          "batch_size": [16, 32, 48, 64]}}"""))
                .expand());
  }
}
