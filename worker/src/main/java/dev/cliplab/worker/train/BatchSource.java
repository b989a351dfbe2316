package dev.cliplab.worker.train;

/**
 * Makes the batches of a run: a pure function of (epoch, batch) that a {@link BatchLoader} calls on
 * its threads, several at once, each time into a different {@link LoadedBatch}.
 */
interface BatchSource {

  /** Returns the number of full batches in an epoch. */
  int batchesPerEpoch();

  /** Returns the image–caption pairs per batch. */
  int batchSize();

  /** Returns the side of the square images it writes. */
  int side();

  /**
   * Writes one batch; the same (epoch, batch) always gives the same pixels and tokens.
   *
   * @param epoch the epoch index, from 0
   * @param batch the batch index in the epoch, below {@link #batchesPerEpoch()}
   * @param into the buffers to write, whose pixels have room for one batch
   */
  void fill(int epoch, int batch, LoadedBatch into);
}
