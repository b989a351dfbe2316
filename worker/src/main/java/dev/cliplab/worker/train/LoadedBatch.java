package dev.cliplab.worker.train;

import dev.cliplab.worker.model.TokenBatch;

/**
 * One ready batch: its images as channel-first floats in [-1, 1], batch-major, and its captions'
 * tokens. The buffers belong to the loader and are reused: read them, then close the batch to hand
 * them back.
 */
final class LoadedBatch implements AutoCloseable {

  private final BatchLoader owner;
  private final float[] pixels;
  private byte[] scratch = new byte[0];
  private TokenBatch tokens;
  private int epoch;
  private int index;

  LoadedBatch(BatchLoader owner, int batchSize, int side) {
    this.owner = owner;
    this.pixels = new float[batchSize * 3 * side * side];
  }

  /** Returns the epoch index, from 0. */
  int epoch() {
    return epoch;
  }

  /** Returns the batch's index in its epoch. */
  int index() {
    return index;
  }

  /** Returns the images, CHW per image, batch-major; overwritten once the batch is closed. */
  float[] pixels() {
    return pixels;
  }

  /** Returns the captions' token ids, one row per image. */
  TokenBatch tokens() {
    return tokens;
  }

  /** A reusable byte buffer of at least the given length, for a source to decode into. */
  byte[] scratch(int length) {
    if (scratch.length < length) {
      scratch = new byte[length];
    }
    return scratch;
  }

  /** Records which batch the buffers now hold, and its tokens. */
  void set(int epoch, int index, TokenBatch tokens) {
    this.epoch = epoch;
    this.index = index;
    this.tokens = tokens;
  }

  /** Hands the buffers back to the loader, which may refill them at once. */
  @Override
  public void close() {
    if (owner != null) {
      owner.release(this);
    }
  }
}
