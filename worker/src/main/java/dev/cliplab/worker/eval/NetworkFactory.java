package dev.cliplab.worker.eval;

import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.train.TrainSpec;

/** Builds the (uninitialised) network a training spec describes, as training built it. */
@FunctionalInterface
public interface NetworkFactory {

  /**
   * Builds the network.
   *
   * @param spec the spec the checkpoint was trained with
   * @param vocabularySize the size of its vocabulary
   * @return the network, not yet initialised
   */
  ClipLiteModel build(TrainSpec spec, int vocabularySize);
}
