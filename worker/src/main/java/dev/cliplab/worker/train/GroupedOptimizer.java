package dev.cliplab.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The part SGD and AdamW share: every parameter follows its group's learning-rate schedule (the
 * image encoder's or the rest's), counted in its own updates, and weight decay applies only where
 * {@link ParameterGroups} allows it.
 */
abstract class GroupedOptimizer extends TrainingOptimizer {

  /**
   * The learning-rate schedules of the two groups, both indexed by update count from 1.
   *
   * @param imageEncoder the image encoder's schedule
   * @param rest the schedule of every other parameter
   */
  record Rates(Tracker imageEncoder, Tracker rest) {

    /** Both groups on one schedule. */
    static Rates same(Tracker schedule) {
      return new Rates(schedule, schedule);
    }

    Tracker of(ParameterGroups.Member member) {
      return member.imageEncoder() ? imageEncoder : rest;
    }
  }

  private final ParameterGroups groups;
  private final Rates rates;
  private final float weightDecay;
  private final OptimizerState state;
  private float gradientScale = 1f;

  GroupedOptimizer(ParameterGroups groups, Rates rates, float weightDecay, OptimizerState state) {
    this.groups = groups;
    this.rates = rates;
    this.weightDecay = weightDecay;
    this.state = state;
  }

  @Override
  void setGradientScale(float scale) {
    gradientScale = scale;
  }

  @Override
  public final void update(String parameterId, NDArray weight, NDArray grad) {
    ParameterGroups.Member member = groups.member(parameterId);
    int count = state.nextCount(member.name(), weight.getDevice());
    float rate = rates.of(member).getNewValue(count);
    boolean decayed = member.decayable() && weight.getShape().dimension() >= 2;
    apply(member.name(), count, rate, decayed ? weightDecay : 0f, weight, grad);
  }

  /**
   * Updates one parameter in place and clears its gradient.
   *
   * @param name the parameter's name, the key of its state
   * @param count its updates so far, this one included, from 1
   * @param rate its learning rate for this update
   * @param decay the weight decay for this parameter, 0 when it is not decayed
   * @param weight the weight, updated in place
   * @param grad the gradient, before scaling by {@link #gradientScale()}
   */
  abstract void apply(
      String name, int count, float rate, float decay, NDArray weight, NDArray grad);

  /** Returns the factor that the next updates multiply the gradients by. */
  float gradientScale() {
    return gradientScale;
  }

  /** Returns the per-parameter state. */
  OptimizerState state() {
    return state;
  }

  @Override
  void save(DataOutputStream out) throws IOException {
    state.save(out);
  }

  @Override
  void load(DataInputStream in, NDManager manager) throws IOException {
    state.load(in, manager);
    groups.requireKnown(state.names());
  }
}
