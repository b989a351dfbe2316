package dev.cliplab.orchestrator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LatenciesTest {

  @Test
  @DisplayName("percentiles are nearest-rank: of 1..100 ms the median is 50 and the p99 is 99")
  void nearestRank() {
    List<Double> millis = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      millis.add((double) i);
    }
    assertThat(Latencies.of(millis)).isEqualTo(new Latencies(100, 50, 99, 100));
    // Of three, ceil(0.5 * 3) = 2nd and ceil(0.99 * 3) = 3rd smallest.
    assertThat(Latencies.of(List.of(30.0, 10.0, 20.0))).isEqualTo(new Latencies(3, 20, 30, 30));
    assertThat(Latencies.of(List.of()).count()).isZero();
  }
}
