package dev.cliplab.worker.train;

import ai.djl.engine.Engine;

/** Settles the PyTorch thread pools before the engine first loads, and seeds it. */
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
    return engine;
  }
}
