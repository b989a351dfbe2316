package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cliplab.worker.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The loader's order, resumption, errors and shutdown, on the fixture's augmented batches. */
class BatchLoaderTest {

  /** What a batch held: its position, pixels and tokens, copied out of the reused buffers. */
  private record Seen(int epoch, int index, float[] pixels, int[] tokens) {
    static Seen of(LoadedBatch batch) {
      return new Seen(
          batch.epoch(), batch.index(), batch.pixels().clone(), batch.tokens().ids().clone());
    }

    void assertSameAs(Seen other) {
      assertThat(epoch).isEqualTo(other.epoch);
      assertThat(index).isEqualTo(other.index);
      assertThat(pixels).containsExactly(other.pixels);
      assertThat(tokens).containsExactly(other.tokens);
    }
  }

  private static List<Seen> take(BatchLoader loader, int n) {
    List<Seen> seen = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (LoadedBatch batch = loader.next()) {
        seen.add(Seen.of(batch));
      }
    }
    return seen;
  }

  @Test
  @DisplayName("one thread and three threads deliver the same batches in the same order")
  void threadCountDoesNotMatter() {
    BatchMaker maker = FixtureBatches.augmenting(5);
    int perEpoch = maker.batchesPerEpoch();
    List<Seen> one;
    List<Seen> three;
    try (BatchLoader loader = BatchLoader.start(maker, 2, 0, 0, 1)) {
      one = take(loader, 2 * perEpoch);
    }
    try (BatchLoader loader = BatchLoader.start(maker, 2, 0, 0, 3)) {
      three = take(loader, 2 * perEpoch);
    }
    for (int i = 0; i < one.size(); i++) {
      three.get(i).assertSameAs(one.get(i));
      assertThat(one.get(i).epoch()).isEqualTo(i / perEpoch);
      assertThat(one.get(i).index()).isEqualTo(i % perEpoch);
    }
  }

  @Test
  @DisplayName("starting at (epoch, batch) gives what an uninterrupted loader gives from there")
  void resumesWhereItLeftOff() {
    BatchMaker maker = FixtureBatches.augmenting(9);
    int perEpoch = maker.batchesPerEpoch();
    List<Seen> whole;
    try (BatchLoader loader = BatchLoader.start(maker, 3, 0, 0, 2)) {
      whole = take(loader, 3 * perEpoch);
    }
    try (BatchLoader resumed = BatchLoader.start(FixtureBatches.augmenting(9), 3, 1, 5, 2)) {
      List<Seen> rest = take(resumed, 2 * perEpoch - 5);
      for (int i = 0; i < rest.size(); i++) {
        rest.get(i).assertSameAs(whole.get(perEpoch + 5 + i));
      }
      assertThatThrownBy(resumed::next).isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  @DisplayName("an exception in a loader thread reaches the consumer at its batch, with its cause")
  void failuresSurface() {
    RuntimeException broken = new IllegalArgumentException("image 42 is unreadable");
    BatchSource source = new CountingSource(6, batch -> batch == 3 ? broken : null);
    try (BatchLoader loader = BatchLoader.start(source, 1, 0, 0, 2)) {
      assertThat(take(loader, 3)).extracting(Seen::index).containsExactly(0, 1, 2);
      assertThatThrownBy(loader::next)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("batch 3 of epoch 0")
          .hasMessageContaining("image 42 is unreadable")
          .hasCause(broken);
    }
  }

  @Test
  @DisplayName("closing stops the threads, even while they wait for buffers to come back")
  void closeStopsTheThreads() throws InterruptedException {
    BatchLoader loader = BatchLoader.start(new CountingSource(1000, batch -> null), 5, 0, 0, 3);
    LoadedBatch held = loader.next();
    assertThat(held.index()).isZero();
    assertThat(loader.running()).isTrue();
    loader.close();
    assertThat(loader.running()).isFalse();
    assertThatThrownBy(loader::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("a start outside the epoch is refused, naming the batch")
  void refusesABadStart() {
    BatchSource source = new CountingSource(4, batch -> null);
    assertThatThrownBy(() -> BatchLoader.start(source, 2, 0, 4, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch 4 of epoch 0");
  }

  /** Batches of two one-pixel images whose values are the batch index; may fail at some. */
  private static final class CountingSource implements BatchSource {
    private final int perEpoch;
    private final IntFunction<RuntimeException> failure;

    CountingSource(int perEpoch, IntFunction<RuntimeException> failure) {
      this.perEpoch = perEpoch;
      this.failure = failure;
    }

    @Override
    public int batchesPerEpoch() {
      return perEpoch;
    }

    @Override
    public int batchSize() {
      return 2;
    }

    @Override
    public int side() {
      return 1;
    }

    @Override
    public void fill(int epoch, int batch, LoadedBatch into) {
      RuntimeException e = failure.apply(batch);
      if (e != null) {
        throw e;
      }
      Arrays.fill(into.pixels(), batch);
      into.set(epoch, batch, new TokenBatch(new int[] {2, 2}, 2, 1));
    }
  }
}
