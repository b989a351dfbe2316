package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The CLIP-Lite Jensen–Shannon bound with one negative per positive: the negative of image i is
 * caption i + 1 (mod B), so the cost grows linearly with the batch.
 *
 * <p>loss = mean_i sp(s(x_i, y_{i+1})) + mean_i sp(−s(x_i, y_i)), with sp the softplus; the JSD
 * estimate of mutual information is −loss.
 */
public final class JsdObjective extends MiObjective {

  /** The name sweeps use for this bound. */
  public static final String NAME = "jsd";

  /** Creates the bound. */
  public JsdObjective() {
    super(NAME);
  }

  @Override
  public NDArray loss(NDArray scores) {
    int batch = Math.toIntExact(scores.getShape().get(0));
    NDArray positives = scores.diagonal();
    // Entry i of the first superdiagonal is s(x_i, y_{i+1}); the corner s(x_{B-1}, y_0) wraps.
    NDArray rolled = scores.diagonal(1).concat(scores.get("{}, 0", batch - 1).reshape(1));
    NDArray negativeTerm = Activation.softPlus(rolled).mean();
    NDArray positiveTerm = Activation.softPlus(positives.neg()).mean();
    return negativeTerm.add(positiveTerm);
  }

  @Override
  public double miEstimate(double loss, long batchSize) {
    return -loss;
  }
}
