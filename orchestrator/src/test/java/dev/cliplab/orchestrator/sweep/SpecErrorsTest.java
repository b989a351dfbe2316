package dev.cliplab.orchestrator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Each way a sweep spec can be wrong, with the field path the error names and what it says. */
class SpecErrorsTest {

  private final SpecValidator validator = SpecValidator.create();

  /** The first error of validating a spec given in the compact single-quoted form below. */
  private SpecError firstError(String json) {
    InvalidSpecException e =
        catchThrowableOfType(
            () -> validator.validate(new JsonObject(json.replace('\'', '"'))),
            InvalidSpecException.class);
    assertThat(e).as("expected %s to be refused", json).isNotNull();
    return e.errors().get(0);
  }

  @Test
  void anEmptyValueListNamesTheParameter() {
    SpecError error = firstError("{'name': 'x', 'parameters': {'batch_size': []}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size");
    assertThat(error.message()).isEqualTo("must list at least 1 value(s)");
  }

  @Test
  void aValueListedTwiceNamesTheParameter() {
    SpecError error = firstError("{'name': 'x', 'parameters': {'objective': ['jsd', 'jsd']}}");
    assertThat(error.field()).isEqualTo("parameters.objective");
    assertThat(error.message()).startsWith("must not list a value twice");
  }

  @Test
  void aLogScaleWithABoundAtZeroNamesItsMin() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'parameters': {'weight_decay':"
                + " {'distribution': 'log_uniform', 'min': 0, 'max': 0.1}}}");
    assertThat(error.field()).isEqualTo("parameters.weight_decay.min");
    assertThat(error.message()).contains("above 0").contains("min is 0");
  }

  @Test
  void aRangeWhoseMinIsAboveItsMaxNamesItsMin() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'batch_size': {'min': 64, 'max': 16, 'step': 16}}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size.min");
    assertThat(error.message()).isEqualTo("min 64 is above max 16");
  }

  @Test
  void aDistributionWhoseMinIsAboveItsMaxNamesItsMin() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'parameters': {'learning_rate':"
                + " {'distribution': 'uniform', 'min': 0.5, 'max': 0.1}}}");
    assertThat(error.field()).isEqualTo("parameters.learning_rate.min");
  }

  @Test
  @DisplayName("a step of 0.3 over 0.1..0.5 does not divide it, in exact decimal arithmetic")
  void aStepThatDoesNotDivideTheRangeNamesTheStep() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'crop_scale_min': {'min': 0.1, 'max': 0.5, 'step':"
                + " 0.3}}}");
    assertThat(error.field()).isEqualTo("parameters.crop_scale_min.step");
    assertThat(error.message()).contains("step 0.3 does not divide max - min = 0.4");
  }

  @Test
  @DisplayName("a grid of 3 x 4 = 12 points is refused under max_trials 10")
  void aGridLargerThanMaxTrialsNamesMaxTrials() {
    SpecError error =
        firstError(
            "{'name': 'x', 'max_trials': 10, 'parameters': {'objective': ['jsd', 'infonce', 'dv'],"
                + " 'batch_size': {'min': 16, 'max': 64, 'step': 16}}}");
    assertThat(error.field()).isEqualTo("max_trials");
    assertThat(error.message()).isEqualTo("the grid makes 12 trials, more than max_trials 10");
  }

  @Test
  @DisplayName("ranges of 199 and 101 values make a 20,099-point grid, over the cap of 10,000")
  void aGridOverTheHardCapNamesTheParameters() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'batch_size': {'min': 2, 'max': 200, 'step': 1},"
                + " 'seed': {'min': 0, 'max': 100, 'step': 1}}}");
    assertThat(error.field()).isEqualTo("parameters");
    assertThat(error.message()).contains("20099 trials").contains("10000");
  }

  @Test
  void anUnknownParameterIsNamed() {
    SpecError error = firstError("{'name': 'x', 'parameters': {'batch_sise': [32]}}");
    assertThat(error.field()).isEqualTo("parameters.batch_sise");
    assertThat(error.message()).startsWith("unknown parameter").contains("batch_size");
  }

  @Test
  void anUnknownKeyOfARangeIsNamed() {
    SpecError error =
        firstError("{'name': 'x', 'parameters': {'batch_size': {'min': 16, 'max': 64, 'by': 16}}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size.by");
    assertThat(error.message()).isEqualTo("unknown key; a range has [min, max, step]");
  }

  @Test
  void aNonIntegerBoundOfAnIntegerParameterIsAWrongType() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'batch_size': {'min': 16.5, 'max': 64, 'step': 16}}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size.min");
  }

  @Test
  void aRangeBoundOutsideTheParametersOwnRangeIsNamed() {
    SpecError error =
        firstError("{'name': 'x', 'parameters': {'batch_size': {'min': 1, 'max': 64, 'step': 1}}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size.min");
    assertThat(error.message()).isEqualTo("must be at least 2");
  }

  @Test
  void aZeroStepIsNamed() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'crop_scale_min': {'min': 0.1, 'max': 0.5, 'step':"
                + " 0}}}");
    assertThat(error.field()).isEqualTo("parameters.crop_scale_min.step");
  }

  @Test
  void aTextMaxTrialsIsAWrongType() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 'ten', 'parameters': {'seed': [1,"
                + " 2]}}");
    assertThat(error.field()).isEqualTo("max_trials");
    assertThat(error.message()).isEqualTo("expected integer, found string");
  }

  @Test
  void aBareNumberWhereValuesBelongSaysWhatIsExpected() {
    SpecError error = firstError("{'name': 'x', 'parameters': {'batch_size': 32}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size");
    assertThat(error.message())
        .isEqualTo(
            "expected a list of values, a {min, max, step} range or a {distribution, min, max}");
  }

  @Test
  void aDistributionOnAStringParameterIsRefused() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'parameters': {'objective':"
                + " {'distribution': 'uniform', 'min': 0, 'max': 1}}}");
    assertThat(error.field()).isEqualTo("parameters.objective");
    assertThat(error.message()).contains("apply only to numeric parameters").contains("objective");
  }

  @Test
  void aContinuousDistributionOnAnIntegerParameterNamesTheDistribution() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'parameters': {'batch_size':"
                + " {'distribution': 'uniform', 'min': 16, 'max': 64}}}");
    assertThat(error.field()).isEqualTo("parameters.batch_size.distribution");
    assertThat(error.message()).isEqualTo("must be one of [\"int_uniform\"]");
  }

  @Test
  void aDistributionUnderSearchGridIsRefused() {
    SpecError error =
        firstError(
            "{'name': 'x', 'parameters': {'learning_rate': {'distribution': 'log_uniform', 'min':"
                + " 0.0001, 'max': 0.01}}}");
    assertThat(error.field()).isEqualTo("parameters.learning_rate");
    assertThat(error.message()).startsWith("a distribution needs search random or asha");
  }

  @Test
  void randomSearchWithoutMaxTrialsNamesMaxTrials() {
    SpecError error =
        firstError("{'name': 'x', 'search': 'random', 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("max_trials");
    assertThat(error.message()).startsWith("is required with search random or asha");
  }

  @Test
  void ashaWithoutMaxTrialsNamesMaxTrials() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'asha', 'metric': {'name': 'epoch_loss', 'goal': 'minimize'},"
                + " 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("max_trials");
  }

  @Test
  void ashaWithoutAMetricNamesTheMetric() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'asha', 'max_trials': 2, 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("metric");
    assertThat(error.message()).startsWith("is required with search asha");
  }

  @Test
  void ashaRankedByAFinalEvaluationNamesTheMetric() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'asha', 'max_trials': 2, 'metric': {'name':"
                + " 'final.voc_emoji.map', 'goal': 'maximize'}, 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("metric.name");
    assertThat(error.message()).startsWith("must be epoch_loss with search asha");
  }

  @Test
  void ashaSettingsWithoutSearchAshaAreRefused() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'asha': {'reduction_factor': 3},"
                + " 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("asha");
    assertThat(error.message()).isEqualTo("applies only with search asha");
  }

  @Test
  void aReductionFactorBelowTwoIsNamed() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'asha', 'max_trials': 2, 'asha': {'reduction_factor': 1,"
                + " 'min_epochs': 1}, 'metric': {'name': 'epoch_loss', 'goal': 'minimize'},"
                + " 'parameters': {'seed': [1, 2]}}");
    assertThat(error.field()).isEqualTo("asha.reduction_factor");
    assertThat(error.message()).isEqualTo("must be at least 2");
  }

  @Test
  void aMinEpochsBelowOneIsNamed() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'asha', 'max_trials': 2, 'asha': {'min_epochs': 0},"
                + " 'metric': {'name': 'epoch_loss', 'goal': 'minimize'}, 'parameters': {'seed':"
                + " [1, 2]}}");
    assertThat(error.field()).isEqualTo("asha.min_epochs");
  }

  @Test
  void aMetricWithoutAGoalNamesTheGoal() {
    SpecError error =
        firstError(
            "{'name': 'x', 'metric': {'name': 'final.voc_emoji.map'}, 'parameters': {'seed':"
                + " [1]}}");
    assertThat(error.field()).isEqualTo("metric.goal");
  }

  @Test
  void aMetricNameOfNeitherFormIsNamed() {
    SpecError error =
        firstError(
            "{'name': 'x', 'metric': {'name': 'loss', 'goal': 'minimize'}, 'parameters': {'seed':"
                + " [1]}}");
    assertThat(error.field()).isEqualTo("metric.name");
    assertThat(error.message()).startsWith("must match ^(epoch_loss|");
  }

  @Test
  void aConcurrencyLimitOfZeroIsNamed() {
    SpecError error = firstError("{'name': 'x', 'max_concurrent': 0, 'parameters': {'seed': [1]}}");
    assertThat(error.field()).isEqualTo("max_concurrent");
    assertThat(error.message()).isEqualTo("must be at least 1");
  }

  @Test
  @DisplayName("2 x 2 values hold 4 distinct points, too few for max_trials 5")
  void aSpaceTooSmallForMaxTrialsSaysHowManyPointsItHolds() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 5, 'parameters': {'objective':"
                + " ['jsd', 'infonce'], 'batch_size': {'min': 32, 'max': 64, 'step': 32}}}");
    assertThat(error.field()).isEqualTo("max_trials");
    assertThat(error.message())
        .isEqualTo("the parameters hold only 4 distinct points, fewer than max_trials 5");
  }

  @Test
  @DisplayName("a uniform distribution of zero width holds one point, too few for max_trials 2")
  void aZeroWidthDistributionCountsAsOnePoint() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 2, 'parameters': {'momentum':"
                + " {'distribution': 'uniform', 'min': 0.5, 'max': 0.5}}}");
    assertThat(error.field()).isEqualTo("max_trials");
    assertThat(error.message()).startsWith("the parameters hold only 1 distinct points");
  }

  @Test
  void aSampledPointTheTrainerRefusesNamesTheParameter() {
    SpecError error =
        firstError(
            "{'name': 'x', 'search': 'random', 'max_trials': 3, 'parameters': {'text_heads':"
                + " {'distribution': 'int_uniform', 'min': 3, 'max': 5}}, 'fixed': {'text_hidden':"
                + " 128}}");
    assertThat(error.field()).isEqualTo("parameters.text_heads");
    assertThat(error.message()).contains("must divide text_hidden 128");
  }
}
