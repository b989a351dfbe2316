package dev.cliplab.worker.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.Locale;

/**
 * A lower bound on the mutual information between images and captions, written as a loss to
 * minimise over the (B, B) critic matrix S of a batch, S[i][j] = T(image i, caption j), whose
 * diagonal holds the matching pairs.
 *
 * <p>Every bound takes its negative pairs from the same matrix. With k negatives per positive, the
 * negatives of image i are captions i + 1, …, i + k (mod B): the captions rolled by 1 … k inside
 * the batch, so the bound reads B·k negative scores and costs O(B·k). With {@link #ALL_NEGATIVES}
 * they are every caption j ≠ i. A k of B − 1 or more is capped at B − 1, which is exactly all
 * in-batch negatives: the roll never wraps round onto the matching caption and never counts a
 * caption twice. A batch needs at least two pairs, so that a negative exists.
 */
public abstract class MiObjective extends Loss {

  /** The names {@link #create} accepts: CLIP-Lite's JSD, CLIP's InfoNCE, NWJ and DV. */
  public static final List<String> NAMES =
      List.of(JsdObjective.NAME, InfoNceObjective.NAME, NwjObjective.NAME, DvObjective.NAME);

  /** The negatives setting that means every other caption of the batch. */
  public static final int ALL_NEGATIVES = 0;

  private final int negatives;

  MiObjective(String name, int negatives) {
    super(name);
    this.negatives = negatives;
  }

  /**
   * The bound with the given name and negatives per positive.
   *
   * @param name one of {@link #NAMES}
   * @param negatives negatives per positive, at least 1, or {@link #ALL_NEGATIVES}
   * @return a new objective
   * @throws IllegalArgumentException for an unknown name or a negative count
   */
  public static MiObjective create(String name, int negatives) {
    if (negatives < 0) {
      throw new IllegalArgumentException(
          "negatives must be at least 1, or " + ALL_NEGATIVES + " for all, not " + negatives);
    }
    return switch (name) {
      case JsdObjective.NAME -> new JsdObjective(negatives);
      case InfoNceObjective.NAME -> new InfoNceObjective(negatives);
      case NwjObjective.NAME -> new NwjObjective(negatives);
      case DvObjective.NAME -> new DvObjective(negatives);
      default -> throw unknown(name);
    };
  }

  /**
   * The bound with the given name at its usual negatives: one for {@code jsd} (CLIP-Lite), all
   * in-batch negatives for the others.
   *
   * @param name one of {@link #NAMES}
   * @return a new objective
   * @throws IllegalArgumentException for an unknown name
   */
  public static MiObjective forName(String name) {
    return create(name, defaultNegatives(name));
  }

  /**
   * The negatives per positive a bound is usually run with.
   *
   * @param name one of {@link #NAMES}
   * @return 1 for {@code jsd}, {@link #ALL_NEGATIVES} for the other bounds
   * @throws IllegalArgumentException for an unknown name
   */
  public static int defaultNegatives(String name) {
    if (!NAMES.contains(name)) {
      throw unknown(name);
    }
    return JsdObjective.NAME.equals(name) ? 1 : ALL_NEGATIVES;
  }

  private static IllegalArgumentException unknown(String name) {
    return new IllegalArgumentException("unknown objective " + name + ", expected one of " + NAMES);
  }

  /**
   * The negatives per positive this bound was created with.
   *
   * @return at least 1, or {@link #ALL_NEGATIVES}
   */
  public int negatives() {
    return negatives;
  }

  /**
   * The negatives each positive actually gets in a batch of this size.
   *
   * @param batchSize pairs in the batch, at least 2
   * @return the setting capped at B − 1, and B − 1 for {@link #ALL_NEGATIVES}
   */
  public int negativesPerPositive(long batchSize) {
    if (batchSize < 2) {
      throw new IllegalArgumentException(
          "a batch of " + batchSize + " pair(s) has no negative captions; at least 2 are needed");
    }
    long others = batchSize - 1;
    return Math.toIntExact(negatives == ALL_NEGATIVES ? others : Math.min(negatives, others));
  }

  /**
   * The loss of one batch. A NaN or infinite score makes it NaN or infinite; finite scores give a
   * finite loss wherever the bound's value fits the array's floating-point type.
   *
   * @param scores the (B, B) critic matrix, scores[i][j] = T(image i, caption j), B ≥ 2
   * @return the scalar loss, of the scores' data type
   * @throws IllegalArgumentException if the matrix is not square or B < 2
   */
  public final NDArray loss(NDArray scores) {
    Shape shape = scores.getShape();
    if (shape.dimension() != 2 || shape.get(0) != shape.get(1)) {
      throw new IllegalArgumentException(
          getName() + " needs a square (B, B) critic matrix, got shape " + shape);
    }
    return bound(new CriticPairs(scores, negativesPerPositive(shape.get(0))));
  }

  /** The loss over the positive and negative scores of a batch. */
  abstract NDArray bound(CriticPairs pairs);

  /**
   * The estimate of mutual information (in nats) that this bound gives at a loss value; −loss
   * unless the bound says otherwise.
   *
   * @param loss the loss of a batch
   * @param batchSize the number of pairs in that batch
   * @return the MI estimate
   */
  public double miEstimate(double loss, long batchSize) {
    return -loss;
  }

  /** Labels are implicit (the diagonal), so only the first prediction, the scores, is read. */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return loss(predictions.head());
  }

  @Override
  public String toString() {
    String count = negatives == ALL_NEGATIVES ? "all" : Integer.toString(negatives);
    return String.format(Locale.ROOT, "%s(negatives=%s)", getName(), count);
  }
}
