package dev.cliplab.worker.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AshaPlanTest {

  private static final AshaPlan ETA3 = new AshaPlan(3, 1, "epoch_loss", false);

  /** Feeds values to one rung in arrival order and returns each arrival's decision. */
  private static List<Boolean> arrive(AshaPlan plan, double... values) {
    List<Double> rung = new ArrayList<>();
    List<Boolean> promoted = new ArrayList<>();
    for (double v : values) {
      promoted.add(plan.promotes(v, rung));
      rung.add(v);
    }
    return promoted;
  }

  @Test
  @DisplayName("eta 3: a loss is promoted only while fewer than floor(n/3) earlier ones beat it")
  void promotesTopThird() {
    // n=1,2: quota 0, pruned. n=3: quota 1, 0.5 beats 0.7. n=4: 0.4 is best. n=5: two beat 0.6.
    // n=6: quota 2, 0.3 best. n=7: five beat 0.8. n=8: 0.2 best. n=9: quota 3, three beat 0.45.
    // n=10: quota 3, only 0.3 and 0.2 beat 0.35.
    assertThat(arrive(ETA3, 0.9, 0.5, 0.7, 0.4, 0.6, 0.3, 0.8, 0.2, 0.45, 0.35))
        .containsExactly(false, false, false, true, false, true, false, true, false, true);
  }

  @Test
  @DisplayName("maximising mirrors minimising, and a tie with a better result does not count")
  void maximiseAndTies() {
    AshaPlan maximize = new AshaPlan(3, 1, "epoch_loss", true);
    assertThat(arrive(maximize, -0.9, -0.5, -0.7, -0.4, -0.6, -0.3))
        .containsExactly(false, false, false, true, false, true);
    // eta 2, n=2: quota 1; an equal value is not strictly better, so the second is promoted.
    assertThat(arrive(new AshaPlan(2, 1, "epoch_loss", false), 0.5, 0.5, 0.7))
        .containsExactly(false, true, false);
  }

  @Test
  @DisplayName("rungs sit at min_epochs times eta^k epochs, strictly below the trial's epochs")
  void rungs() {
    assertThat(ETA3.rungAt(1, 10)).isEqualTo(OptionalInt.of(0));
    assertThat(ETA3.rungAt(3, 10)).isEqualTo(OptionalInt.of(1));
    assertThat(ETA3.rungAt(9, 10)).isEqualTo(OptionalInt.of(2));
    assertThat(ETA3.rungAt(2, 10)).isEmpty();
    assertThat(ETA3.rungAt(10, 10)).isEmpty();
    assertThat(ETA3.rungAt(9, 9)).isEmpty();
    AshaPlan twos = new AshaPlan(2, 2, "epoch_loss", false);
    assertThat(twos.rungAt(2, 8)).isEqualTo(OptionalInt.of(0));
    assertThat(twos.rungAt(4, 8)).isEqualTo(OptionalInt.of(1));
    assertThat(twos.rungAt(1, 8)).isEmpty();
    assertThat(twos.rungAt(8, 8)).isEmpty();
  }

  @Test
  @DisplayName("a sweep's plan comes from its stored spec; only asha sweeps have one")
  void fromStoredSweep() {
    assertThat(AshaPlan.ofSweep(new JsonObject().put("search", "grid"), null, null)).isEmpty();
    assertThat(AshaPlan.ofSweep(new JsonObject(), null, null)).isEmpty();
    assertThat(AshaPlan.ofSweep(new JsonObject().put("search", "asha"), null, null))
        .contains(new AshaPlan(3, 1, "epoch_loss", false));
    JsonObject spec =
        new JsonObject()
            .put("search", "asha")
            .put("asha", new JsonObject().put("reduction_factor", 4).put("min_epochs", 2));
    assertThat(AshaPlan.ofSweep(spec, "epoch_loss", "minimize"))
        .contains(new AshaPlan(4, 2, "epoch_loss", false));
    assertThat(AshaPlan.ofSweep(spec, "final.voc_emoji.map", "maximize"))
        .contains(new AshaPlan(4, 2, "final.voc_emoji.map", true));
  }
}
