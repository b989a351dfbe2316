package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;
import java.util.List;

/**
 * A lower bound on the mutual information between images and captions, written as a loss to
 * minimise over a B×B critic matrix whose diagonal holds the matching pairs.
 */
public abstract class MiObjective extends Loss {

  /** The names {@link #forName} accepts. */
  public static final List<String> NAMES = List.of(JsdObjective.NAME, InfoNceObjective.NAME);

  /**
   * Creates an objective.
   *
   * @param name the name a sweep uses for it
   */
  protected MiObjective(String name) {
    super(name);
  }

  /**
   * The objective with the given name.
   *
   * @param name one of {@link #NAMES}
   * @return a new objective
   * @throws IllegalArgumentException for an unknown name
   */
  public static MiObjective forName(String name) {
    return switch (name) {
      case JsdObjective.NAME -> new JsdObjective();
      case InfoNceObjective.NAME -> new InfoNceObjective();
      default ->
          throw new IllegalArgumentException("unknown objective " + name + ", expected " + NAMES);
    };
  }

  /**
   * The loss of one batch.
   *
   * @param scores the (B, B) critic matrix, scores[i][j] = T(image i, caption j)
   * @return the scalar loss
   */
  public abstract NDArray loss(NDArray scores);

  /**
   * The estimate of mutual information (in nats) that this bound gives at a loss value.
   *
   * @param loss the loss of a batch
   * @param batchSize the number of pairs in that batch
   * @return the MI estimate
   */
  public abstract double miEstimate(double loss, long batchSize);

  /** Labels are implicit (the diagonal), so only the first prediction, the scores, is read. */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return loss(predictions.head());
  }
}
