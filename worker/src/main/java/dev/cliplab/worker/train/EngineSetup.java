package dev.cliplab.worker.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Settles the PyTorch thread pools before the engine first loads, seeds it, and turns off gradient
 * recording on the calling thread outside gradient collectors.
 */
final class EngineSetup {

  private static final String INTRA_OP = "ai.djl.pytorch.num_threads";
  private static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

  private EngineSetup() {}

  /**
   * Uses every core for the operators themselves and one thread between them: a training step is a
   * chain of dependent operators, so inter-op threads would only compete with the intra-op ones.
   * Settings already given as system properties win; after the engine has loaded they no longer
   * take effect.
   */
  static Engine engine(int seed) {
    if (System.getProperty(INTRA_OP) == null) {
      System.setProperty(INTRA_OP, Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
    if (System.getProperty(INTER_OP) == null) {
      System.setProperty(INTER_OP, "1");
    }
    Engine engine = Engine.getInstance();
    engine.setRandomSeed(seed);
    // PyTorch's grad mode belongs to a thread, and the engine turns it off only on the thread that
    // loaded it. On any other thread (the second device's worker, say) the optimisers' in-place
    // updates of parameters would be refused as in-place operations on leaves that require grad.
    JniUtils.setGradMode(false);
    return engine;
  }
}
