package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WarmupCosineScheduleTest {

  @Test
  @DisplayName("the rate rises linearly to the peak, then follows a half cosine to zero")
  void shape() {
    // peak 1e-3, 10 warm-up steps, 110 steps in all (100 decay steps)
    WarmupCosineSchedule schedule = new WarmupCosineSchedule(1e-3, 10, 110);
    assertThat(schedule.getNewValue(1)).isCloseTo(1e-4f, within(1e-9f));
    assertThat(schedule.getNewValue(5)).isCloseTo(5e-4f, within(1e-9f));
    assertThat(schedule.getNewValue(10)).isCloseTo(1e-3f, within(1e-9f));
    // step 60: halfway through the decay, cos(pi/2) = 0 -> peak / 2
    assertThat(schedule.getNewValue(60)).isCloseTo(5e-4f, within(1e-9f));
    // step 35: a quarter through, (1 + cos(pi/4)) / 2 = 0.853553
    assertThat(schedule.getNewValue(35)).isCloseTo(8.53553e-4f, within(1e-9f));
    assertThat(schedule.getNewValue(110)).isCloseTo(0f, within(1e-9f));
  }

  @Test
  @DisplayName("without warm-up the first step already decays from the peak")
  void noWarmup() {
    // step 1 of 4: (1 + cos(pi/4)) / 2 = 0.853553
    WarmupCosineSchedule schedule = new WarmupCosineSchedule(2.0, 0, 4);
    assertThat(schedule.getNewValue(1)).isCloseTo(2 * 0.853553f, within(1e-5f));
    assertThat(schedule.getNewValue(4)).isCloseTo(0f, within(1e-6f));
  }
}
