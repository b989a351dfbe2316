package dev.cliplab.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private static final Baselines DEMO = new Baselines(null, "corpus-a", "0.1.0");

  @Test
  void theSamePointSpelledDifferentlyHasOneHash() {
    JsonObject terse = new JsonObject().put("objective", "infonce");
    JsonObject spelled =
        new JsonObject().put("objective", "infonce").put("negatives", "all").put("batch_size", 128);
    assertThat(DEMO.specHash(terse)).isEqualTo(DEMO.specHash(spelled));
    assertThat(DEMO.specHash(terse))
        .isNotEqualTo(DEMO.specHash(terse.copy().put("batch_size", 64)));
  }

  @Test
  void anotherCorpusOrCodeVersionIsAnotherRun() {
    JsonObject point = new JsonObject().put("objective", "infonce");
    assertThat(new Baselines(null, "corpus-b", "0.1.0").specHash(point))
        .isNotEqualTo(DEMO.specHash(point));
    assertThat(new Baselines(null, "corpus-a", "0.2.0").specHash(point))
        .isNotEqualTo(DEMO.specHash(point));
  }

  @Test
  void aClipLiteTrialsBaselineSwapsOnlyTheBoundAndNegatives() {
    JsonObject jsd = new JsonObject().put("objective", "jsd").put("batch_size", 32);
    JsonObject baseline = Baselines.baselineOf(jsd).orElseThrow();
    assertThat(baseline.getString("objective")).isEqualTo("infonce");
    assertThat(baseline.getString("negatives")).isEqualTo("all");
    assertThat(baseline.getInteger("batch_size")).isEqualTo(32);
    assertThat(Baselines.baselineOf(baseline)).isEmpty();
  }
}
