package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.data.Augmenter;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Batches of the committed fixture corpus, 16 px inputs cropped from 32 px. */
class BatchMakerTest {

  private static final List<CaptionedImage> IMAGES = FixtureBatches.IMAGES;
  private static final Vocabulary VOCABULARY = FixtureBatches.VOCABULARY;
  private static final PixelCache PLAIN = FixtureBatches.PLAIN;

  private static BatchMaker augmenting(long seed) {
    return FixtureBatches.augmenting(seed);
  }

  private static LoadedBatch fill(BatchSource maker, int epoch, int batch) {
    LoadedBatch into = new LoadedBatch(null, maker.batchSize(), maker.side());
    maker.fill(epoch, batch, into);
    return into;
  }

  @Test
  @DisplayName("the same seed, epoch and batch give the same bytes; another epoch or seed others")
  void deterministic() {
    LoadedBatch a = fill(augmenting(3), 1, 4);
    LoadedBatch b = fill(augmenting(3), 1, 4);
    assertThat(b.pixels()).containsExactly(a.pixels());
    assertThat(b.tokens().ids()).containsExactly(a.tokens().ids());
    assertThat(fill(augmenting(3), 2, 4).pixels()).isNotEqualTo(a.pixels());
    assertThat(fill(augmenting(4), 1, 4).pixels()).isNotEqualTo(a.pixels());
    assertThat(a.epoch()).isEqualTo(1);
    assertThat(a.index()).isEqualTo(4);
  }

  @Test
  @DisplayName("each epoch is a different permutation of the images, the same one every time")
  void shufflesPerEpoch() {
    BatchMaker maker = augmenting(0);
    int[] first = maker.order(0);
    int[] sorted = first.clone();
    Arrays.sort(sorted);
    int[] identity = new int[IMAGES.size()];
    Arrays.setAll(identity, i -> i);
    assertThat(sorted).containsExactly(identity);
    assertThat(maker.order(1)).isNotEqualTo(first);
    assertThat(augmenting(0).order(0)).containsExactly(first);
    assertThat(maker.batchesPerEpoch()).isEqualTo(IMAGES.size() / 16);
  }

  @Test
  @DisplayName("without augmentation a batch is the cached images in the epoch's order")
  void plainBatchesAreTheCache() {
    BatchMaker maker =
        new BatchMaker(IMAGES, PLAIN, VOCABULARY, 12, 16, 0, Augmenter.plain(16), false);
    LoadedBatch batch = fill(maker, 2, 3);
    int[] indices = Arrays.copyOfRange(maker.order(2), 3 * 16, 4 * 16);
    float[] expected = new float[16 * 3 * 16 * 16];
    PLAIN.fillBatch(indices, expected);
    assertThat(batch.pixels()).containsExactly(expected);
  }

  @Test
  @DisplayName("a flipped image carries its caption with left and right swapped")
  void flipSwapsTheCaption() {
    List<CaptionedImage> lefts =
        IMAGES.stream()
            .map(i -> new CaptionedImage(i.id(), i.fileName(), List.of("a left paw")))
            .toList();
    Vocabulary words = Vocabulary.build(List.of("a left paw", "a right paw"), 1);
    BatchMaker maker = new BatchMaker(lefts, PLAIN, words, 5, 16, 0, Augmenter.plain(16), true);
    int[] left = words.encode("a left paw", 5);
    int[] right = words.encode("a right paw", 5);
    int plane = 3 * 16 * 16;
    float[] unflipped = new float[plane];
    int flipped = 0;
    for (int batch = 0; batch < 4; batch++) {
      LoadedBatch loaded = fill(maker, 0, batch);
      for (int b = 0; b < 16; b++) {
        int[] row = Arrays.copyOfRange(loaded.tokens().ids(), b * 4, b * 4 + 4);
        int image = maker.order(0)[batch * 16 + b];
        PLAIN.fillBatch(new int[] {image}, unflipped);
        float[] pixels = Arrays.copyOfRange(loaded.pixels(), b * plane, (b + 1) * plane);
        boolean mirrored = row[2] == right[2];
        assertThat(row).containsExactly(Arrays.copyOf(mirrored ? right : left, 4));
        assertThat(pixels).containsExactly(mirrored ? mirror(unflipped, 16) : unflipped);
        flipped += mirrored ? 1 : 0;
      }
    }
    // 64 fair coin flips: mean 32, standard deviation 4
    assertThat(flipped).isBetween(16, 48);
  }

  /** Channel planes reversed left to right, row by row. */
  private static float[] mirror(float[] chw, int side) {
    float[] out = new float[chw.length];
    for (int row = 0; row < chw.length / side; row++) {
      for (int x = 0; x < side; x++) {
        out[row * side + x] = chw[row * side + side - 1 - x];
      }
    }
    return out;
  }

  @Test
  @DisplayName("a training cache is twice the input side when augmenting, at most 96 px")
  void sourceSize() {
    TrainSpec spec = TrainSpec.defaults();
    assertThat(TrainingData.trainSourceSize(spec)).isEqualTo(64);
    assertThat(TrainingData.trainSourceSize(spec.with(new JsonObject().put("image_size", 48))))
        .isEqualTo(96);
    assertThat(TrainingData.trainSourceSize(spec.with(new JsonObject().put("image_size", 64))))
        .isEqualTo(96);
    assertThat(TrainingData.trainSourceSize(spec.with(new JsonObject().put("image_size", 128))))
        .isEqualTo(128);
    assertThat(TrainingData.trainSourceSize(spec.with(new JsonObject().put("augment", false))))
        .isEqualTo(32);
  }
}
