package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The Jensen–Shannon bound CLIP-Lite maximises, at one negative per positive in the paper.
 *
 * <p>loss = mean over negatives of sp(s⁻) + mean over positives of sp(−s⁺), sp the softplus. The
 * estimate is −loss, Deep InfoMax's JSD estimator (Hjelm et al. 2019, eq. 4): E_p[−sp(−T)] −
 * E_{p(x)p(y)}[sp(T)]. It is the f-GAN variational lower bound on 2·JS(p(x, y) ‖ p(x)p(y)) − log 4,
 * so it lies at or below 0 and starts at −log 4 for a critic that scores everything 0; it is not in
 * nats of mutual information, though it rises and falls with it.
 */
final class JsdObjective extends MiObjective {

  static final String NAME = "jsd";

  JsdObjective(int negatives) {
    super(NAME, negatives);
  }

  @Override
  NDArray bound(CriticPairs pairs) {
    NDArray negativeTerm = Activation.softPlus(pairs.rowNegatives()).mean();
    NDArray positiveTerm = Activation.softPlus(pairs.positives().neg()).mean();
    return negativeTerm.add(positiveTerm);
  }
}
