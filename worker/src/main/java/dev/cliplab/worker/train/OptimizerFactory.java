package dev.cliplab.worker.train;

import dev.cliplab.worker.model.ClipLiteModel;

/**
 * Builds the optimiser a spec asks for: SGD with momentum or AdamW, each with the image encoder on
 * its own peak learning rate and everything else on another, both on the same linear warm-up and
 * cosine decay to zero, optionally inside Lookahead.
 *
 * <p>The CLIP-Lite paper's code trains with SGD, momentum 0.9, weight decay 1e-4, learning rate 0.2
 * for the CNN and 1e-3 for the rest, Lookahead k = 5 and α = 0.5, gradient-norm clip 10, 10k
 * warm-up steps of 250k, at batch 1024 on 8 GPUs. The spec's defaults are the demo's instead, sized
 * for a few hundred steps on a CPU.
 */
final class OptimizerFactory {

  private OptimizerFactory() {}

  /**
   * Builds the optimiser for a network.
   *
   * @param spec the optimiser, learning rates, momentum, weight decay, Lookahead and warm-up
   * @param network the network it will train
   * @param totalSteps the steps of the whole run; the learning rates reach zero at the last one
   * @return the optimiser; pass it to the trainer's config and to the step runner
   * @throws IllegalArgumentException for an optimiser name that is not one of {@link
   *     TrainSpec#OPTIMIZERS}
   */
  static TrainingOptimizer create(TrainSpec spec, ClipLiteModel network, int totalSteps) {
    ParameterGroups groups = ParameterGroups.of(network);
    GroupedOptimizer.Rates rates =
        new GroupedOptimizer.Rates(
            new WarmupCosineSchedule(spec.imageLearningRate(), spec.warmupSteps(), totalSteps),
            new WarmupCosineSchedule(spec.learningRate(), spec.warmupSteps(), totalSteps));
    float decay = (float) spec.weightDecay();
    TrainingOptimizer optimizer =
        switch (spec.optimizer()) {
          case "sgd" -> new MomentumSgd(groups, rates, decay, (float) spec.momentum());
          case "adamw" -> new DecoupledAdamW(groups, rates, decay);
          default ->
              throw new IllegalArgumentException(
                  "invalid value for optimizer: "
                      + spec.optimizer()
                      + " (expected one of "
                      + TrainSpec.OPTIMIZERS
                      + ")");
        };
    if (spec.lookaheadK() > 0) {
      optimizer =
          new Lookahead(optimizer, groups, spec.lookaheadK(), (float) spec.lookaheadAlpha());
    }
    return optimizer;
  }
}
