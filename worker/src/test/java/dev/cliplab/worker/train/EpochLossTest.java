package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EpochLossTest {

  @Test
  @DisplayName("an epoch's loss is the mean of its steps' losses, and the next epoch starts afresh")
  void meanPerEpoch() {
    EpochLoss loss = new EpochLoss();
    loss.add(1.0);
    loss.add(2.0);
    loss.add(6.0);
    assertThat(loss.close()).isEqualTo(3.0);
    loss.add(0.5);
    assertThat(loss.close()).isEqualTo(0.5);
    assertThat(loss.lastMean()).isEqualTo(0.5);
    assertThat(loss.close()).isNaN();
  }

  @Test
  @DisplayName("the running sum survives a checkpoint, so a resumed epoch counts its earlier steps")
  void survivesCheckpoint() {
    EpochLoss before = new EpochLoss();
    before.add(4.0);
    before.close();
    before.add(1.0);
    before.add(2.0);

    EpochLoss after = EpochLoss.fromJson(before.toJson());
    assertThat(after.lastMean()).isEqualTo(4.0);
    after.add(3.0);
    assertThat(after.close()).isEqualTo(2.0);
    assertThat(EpochLoss.fromJson(null).lastMean()).isNaN();
  }
}
