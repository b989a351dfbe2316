package dev.cliplab.worker.train;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.TokenBatch;
import java.util.List;
import java.util.Random;

/**
 * Draws training batches: a seeded shuffle of the images per epoch, full batches only (batch norm
 * and the rolled negatives need every slot filled), and one random caption per image each time.
 */
final class BatchSampler {

  private final List<CaptionedImage> images;
  private final PixelCache pixels;
  private final Vocabulary vocabulary;
  private final int maxTokens;
  private final int batchSize;
  private final Random random;
  private final int[] order;
  private final float[] pixelBuffer;
  private TokenBatch tokens;

  BatchSampler(
      List<CaptionedImage> images,
      PixelCache pixels,
      Vocabulary vocabulary,
      int maxTokens,
      int batchSize,
      Random random) {
    this.images = images;
    this.pixels = pixels;
    this.vocabulary = vocabulary;
    this.maxTokens = maxTokens;
    this.batchSize = batchSize;
    this.random = random;
    this.order = new int[images.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.pixelBuffer = new float[batchSize * 3 * pixels.size() * pixels.size()];
  }

  int batchesPerEpoch() {
    return images.size() / batchSize;
  }

  /** Reshuffles the image order (Fisher–Yates); call at the start of every epoch. */
  void shuffle() {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }

  /**
   * Fills the buffers with the given batch of the current epoch.
   *
   * @param batch the batch index, below {@link #batchesPerEpoch()}
   */
  void fill(int batch) {
    int[] indices = new int[batchSize];
    System.arraycopy(order, batch * batchSize, indices, 0, batchSize);
    pixels.fillBatch(indices, pixelBuffer);
    int[][] encoded = new int[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      List<String> captions = images.get(indices[b]).captions();
      encoded[b] = vocabulary.encode(captions.get(random.nextInt(captions.size())), maxTokens);
    }
    tokens = TokenBatch.pack(encoded);
  }

  /** CHW pixels of the filled batch, batch-major. */
  float[] pixels() {
    return pixelBuffer;
  }

  /** Token ids of the filled batch, trimmed to its longest caption. */
  TokenBatch tokens() {
    return tokens;
  }
}
