package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

  @Test
  @DisplayName("packing cuts the padding columns after the longest caption and keeps row order")
  void cutsPadding() {
    int[][] encoded = {
      {2, 7, 0, 0, 0},
      {2, 8, 9, 0, 0},
      {2, 0, 0, 0, 0},
    };
    TokenBatch batch = TokenBatch.pack(encoded);
    assertThat(batch.rows()).isEqualTo(3);
    assertThat(batch.width()).isEqualTo(3);
    assertThat(batch.ids()).containsExactly(2, 7, 0, 2, 8, 9, 2, 0, 0);
  }

  @Test
  @DisplayName("a batch of all-padding rows keeps one column")
  void keepsOneColumn() {
    TokenBatch batch = TokenBatch.pack(new int[][] {{0, 0}, {0, 0}});
    assertThat(batch.width()).isEqualTo(1);
    assertThat(batch.ids()).containsExactly(0, 0);
  }
}
