package dev.cliplab.worker.queue;

import ai.djl.ndarray.NDManager;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.eval.EvaluationSuite;
import dev.cliplab.worker.eval.StoredCheckpoint;
import dev.cliplab.worker.eval.SuiteOptions;
import dev.cliplab.worker.eval.SuiteReport;
import dev.cliplab.worker.train.ModelFactory;
import dev.cliplab.worker.train.TrainingListener;
import dev.cliplab.worker.train.TrainingOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Scores a stored checkpoint of another trial with the transfer evaluations a job names, recording
 * the results in phase {@code epoch-N}; features extracted before are reused from the source
 * trial's folder.
 */
final class EvaluationJob {

  private EvaluationJob() {}

  /**
   * Runs the job.
   *
   * @param job the job's parameters: {@code {"evaluate": {"trial", "epoch" (null: latest),
   *     "tasks"}}}
   * @param sourceDir the folder of the trial whose checkpoint is scored
   * @return the outcome, {@code succeeded} with what was evaluated
   * @throws IOException if the checkpoint or the corpus cannot be read
   */
  static TrainingOutcome run(
      JsonObject job, Path sourceDir, DemoCorpus corpus, TrainingListener listener)
      throws IOException {
    JsonObject what = job.getJsonObject("evaluate");
    Integer epoch = what.getInteger("epoch");
    List<String> tasks = new ArrayList<>();
    what.getJsonArray("tasks", new JsonArray()).forEach(t -> tasks.add(String.valueOf(t)));
    OptionalInt chosen = epoch == null ? OptionalInt.empty() : OptionalInt.of(epoch);
    try (StoredCheckpoint checkpoint =
            StoredCheckpoint.open(sourceDir, chosen, ModelFactory::build);
        NDManager manager = NDManager.newBaseManager()) {
      SuiteReport report =
          new EvaluationSuite(SuiteOptions.DEFAULTS)
              .run(manager, checkpoint.model(), corpus, tasks);
      String phase = "epoch-" + checkpoint.epoch();
      report.results().forEach(r -> listener.evaluation(phase, r.task(), r.metric(), r.value()));
      listener.evaluationDetails(phase, report.toJson());
      String message =
          "evaluated "
              + report.results().size()
              + " metrics of "
              + phase
              + (report.skipped().isEmpty() ? "" : "; skipped " + report.skipped());
      return new TrainingOutcome(TrainingOutcome.SUCCEEDED, 0, Double.NaN, message);
    }
  }
}
