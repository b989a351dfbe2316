package dev.cliplab.worker.eval;

import ai.djl.ndarray.NDManager;
import dev.cliplab.worker.data.DemoCorpus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfer evaluations of a frozen model, by the protocols of CLIP-Lite and VirTex, on the
 * corpus's transfer sets: VOC07-style multi-label classification with linear SVMs ({@value
 * #VOC_EMOJI}: {@code map}, {@code ap_<class>}), linear evaluation ({@value #FASHION_MNIST_LINEAR}:
 * {@code top1}, {@code top5}), zero-shot classification ({@value #FASHION_MNIST_ZEROSHOT}, {@value
 * #ZEROSHOT_EMOJI_GROUPS}: {@code top1}) and image–text retrieval ({@value #RETRIEVAL_HELDOUT}:
 * {@code i2t_r1/5/10}, {@code t2i_r1/5/10}, {@code mean_recall}).
 *
 * <p>Each image set's features are extracted once per run, in batches, and cached on disk when the
 * model names a feature folder, keyed by the exact weights, images and input size. A task whose
 * data the corpus lacks (an npm-only corpus has no Fashion-MNIST) is skipped with the reason; data
 * that is present but broken fails the run with an error naming the file.
 */
public final class EvaluationSuite {

  /** VOC07-style multi-label classification of the held-out emoji style. */
  public static final String VOC_EMOJI = "voc_emoji";

  /** Linear evaluation on Fashion-MNIST. */
  public static final String FASHION_MNIST_LINEAR = "fashion_mnist_linear";

  /** Zero-shot classification of Fashion-MNIST's test split. */
  public static final String FASHION_MNIST_ZEROSHOT = "fashion_mnist_zeroshot";

  /** Zero-shot classification of the held-out emoji style into emoji groups. */
  public static final String ZEROSHOT_EMOJI_GROUPS = HeldoutEvaluator.ZERO_SHOT_TASK;

  /** Image–text retrieval on the held-out emoji style. */
  public static final String RETRIEVAL_HELDOUT = HeldoutEvaluator.RETRIEVAL_TASK;

  /** Every task, in the order they run when all are asked for. */
  public static final List<String> TASKS =
      List.of(
          VOC_EMOJI,
          FASHION_MNIST_LINEAR,
          FASHION_MNIST_ZEROSHOT,
          ZEROSHOT_EMOJI_GROUPS,
          RETRIEVAL_HELDOUT);

  private static final Logger LOG = LoggerFactory.getLogger(EvaluationSuite.class);

  private final SuiteOptions options;

  /**
   * Creates a suite.
   *
   * @param options how the tasks run; {@link SuiteOptions#DEFAULTS} for the standard protocols
   */
  public EvaluationSuite(SuiteOptions options) {
    this.options = options;
  }

  /**
   * Runs tasks on a model.
   *
   * @param manager the manager under which temporary arrays are made and freed
   * @param model the model
   * @param corpus the corpus holding the transfer sets
   * @param tasks names from {@link #TASKS}, each at most once
   * @return one report per task, in the order given
   * @throws IOException if present data cannot be read or a cache cannot be written, naming the
   *     file
   * @throws IllegalArgumentException if a task name is unknown or repeated
   */
  public SuiteReport run(NDManager manager, EvalModel model, DemoCorpus corpus, List<String> tasks)
      throws IOException {
    checkTasks(tasks);
    EvalContext context = new EvalContext(manager, model, corpus, options);
    List<TaskReport> reports = new ArrayList<>();
    for (String task : tasks) {
      long started = System.nanoTime();
      TaskReport report = runTask(context, task);
      long millis = (System.nanoTime() - started) / 1_000_000;
      if (report.skipped().isPresent()) {
        LOG.info("Skipped {} of {}: {}", task, model.checkpointId(), report.skipped().get());
      } else {
        LOG.info(
            "Evaluated {} of {} in {} ms: {}",
            task,
            model.checkpointId(),
            millis,
            report.metrics());
      }
      reports.add(report);
    }
    return new SuiteReport(reports);
  }

  private static TaskReport runTask(EvalContext context, String task) throws IOException {
    return switch (task) {
      case VOC_EMOJI -> VocTask.run(context, task);
      case FASHION_MNIST_LINEAR -> FashionTasks.linear(context, task);
      case FASHION_MNIST_ZEROSHOT -> FashionTasks.zeroShot(context, task);
      case ZEROSHOT_EMOJI_GROUPS -> HeldoutTasks.zeroShot(context, task);
      case RETRIEVAL_HELDOUT -> HeldoutTasks.retrieval(context, task);
      default -> throw new IllegalArgumentException("unknown evaluation task " + task);
    };
  }

  private static void checkTasks(List<String> tasks) {
    Set<String> seen = new LinkedHashSet<>();
    for (String task : tasks) {
      if (!TASKS.contains(task)) {
        throw new IllegalArgumentException(
            "unknown evaluation task '" + task + "' (expected one of " + TASKS + ")");
      }
      if (!seen.add(task)) {
        throw new IllegalArgumentException("evaluation task '" + task + "' is asked for twice");
      }
    }
  }
}
