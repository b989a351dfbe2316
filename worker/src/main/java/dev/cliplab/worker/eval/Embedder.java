package dev.cliplab.worker.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import java.util.List;

/**
 * Runs a frozen model over images and texts in batches, each batch under its own sub-manager so
 * that native memory stays flat, and copies the results to the Java heap.
 */
final class Embedder {

  private final ClipLiteModel network;
  private final Vocabulary vocabulary;
  private final int maxTokens;
  private final int batchSize;

  Embedder(ClipLiteModel network, Vocabulary vocabulary, int maxTokens, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    this.network = network;
    this.vocabulary = vocabulary;
    this.maxTokens = maxTokens;
    this.batchSize = batchSize;
  }

  /**
   * The pooled backbone features and the projected unit embeddings of every image of a cache, from
   * one pass of the encoder: the image tower's first block is the encoder, so the rest of the tower
   * continues from its output.
   */
  ImageFeatures images(NDManager manager, PixelCache pixels) {
    int side = pixels.size();
    int count = pixels.count();
    float[] features = null;
    float[] embeddings = null;
    ParameterStore ps = new ParameterStore(manager, false);
    for (int from = 0; from < count; from += batchSize) {
      int n = Math.min(batchSize, count - from);
      int[] indices = new int[n];
      for (int i = 0; i < n; i++) {
        indices[i] = from + i;
      }
      float[] batch = new float[n * 3 * side * side];
      pixels.fillBatch(indices, batch);
      try (NDManager step = manager.newSubManager()) {
        NDList input = new NDList(step.create(batch, new Shape(n, 3, side, side)));
        NDList pooled = network.imageEncoder().forward(ps, input, false);
        NDArray embedded = restOfImageTower(ps, pooled, input).head();
        features = append(features, pooled.head(), from, count);
        embeddings = append(embeddings, embedded, from, count);
      }
    }
    return new ImageFeatures(matrix(features, count), matrix(embeddings, count));
  }

  /** The unit text embeddings of some texts, one row each, in order. */
  FeatureMatrix texts(NDManager manager, List<String> texts) {
    float[] out = null;
    ParameterStore ps = new ParameterStore(manager, false);
    for (int from = 0; from < texts.size(); from += batchSize) {
      int n = Math.min(batchSize, texts.size() - from);
      int[][] encoded = new int[n][];
      for (int i = 0; i < n; i++) {
        encoded[i] = vocabulary.encode(texts.get(from + i), maxTokens);
      }
      try (NDManager step = manager.newSubManager()) {
        NDList input = new NDList(TokenBatch.pack(encoded).toArray(step));
        NDArray embedded = network.textTower().forward(ps, input, false).head();
        out = append(out, embedded, from, texts.size());
      }
    }
    return matrix(out, texts.size());
  }

  // The tower is documented to start with the encoder; should that change, the tower runs whole.
  private NDList restOfImageTower(ParameterStore ps, NDList pooled, NDList images) {
    List<Block> blocks = network.imageTower().getChildren().values();
    if (blocks.isEmpty() || blocks.get(0) != network.imageEncoder()) {
      return network.imageTower().forward(ps, images, false);
    }
    NDList current = pooled;
    for (Block block : blocks.subList(1, blocks.size())) {
      current = block.forward(ps, current, false);
    }
    return current;
  }

  // Copies a (n, width) batch into rows [from, from + n) of a (count, width) row-major buffer.
  private static float[] append(float[] buffer, NDArray batch, int from, int count) {
    int width = Math.toIntExact(batch.getShape().get(1));
    float[] values = batch.toFloatArray();
    float[] out = buffer == null ? new float[Math.multiplyExact(count, width)] : buffer;
    System.arraycopy(values, 0, out, from * width, values.length);
    return out;
  }

  private static FeatureMatrix matrix(float[] values, int rows) {
    if (values == null) {
      return new FeatureMatrix(0, 0, new float[0]);
    }
    return new FeatureMatrix(rows, values.length / rows, values);
  }
}
