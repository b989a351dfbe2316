package dev.cliplab.worker.eval;

import dev.cliplab.worker.data.ClassificationSet;
import dev.cliplab.worker.data.VocImageSets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The VOC07-style multi-label task on the held-out emoji style ({@link Voc07Svm}). */
final class VocTask {

  private VocTask() {}

  static TaskReport run(EvalContext context, String task) throws IOException {
    Path root = context.corpus().vocEmoji();
    if (!Files.isDirectory(root)) {
      return TaskReport.skipped(task, "the corpus has no VOC-style set at " + root);
    }
    ClassificationSet trainval = VocImageSets.read(root, "trainval");
    ClassificationSet test = VocImageSets.read(root, "test");
    FeatureMatrix trainX =
        context.features("voc-emoji-trainval", trainval.images()).backbone().l2Normalized();
    FeatureMatrix testX =
        context.features("voc-emoji-test", test.images()).backbone().l2Normalized();
    Voc07Svm.Report report =
        Voc07Svm.evaluate(trainval.classes(), trainX, labels(trainval), testX, labels(test));

    List<EvalResult> metrics = new ArrayList<>();
    if (!Double.isNaN(report.meanAp())) {
      metrics.add(new EvalResult(task, "map", report.meanAp()));
    }
    JsonArray classes = new JsonArray();
    JsonArray skipped = new JsonArray();
    for (Voc07Svm.ClassResult c : report.classes()) {
      classes.add(describe(c));
      if (c.skipped().isEmpty()) {
        metrics.add(new EvalResult(task, "ap_" + c.className(), c.testAp()));
      } else {
        skipped.add(new JsonObject().put("class", c.className()).put("reason", c.skipped().get()));
      }
    }
    JsonObject details =
        new JsonObject()
            .put("protocol", protocol())
            .put("trainval_images", trainval.size())
            .put("test_images", test.size())
            .put("feature_dim", trainX.dim())
            .put("classes", classes)
            .put("skipped_classes", skipped);
    return new TaskReport(task, metrics, details, Optional.empty());
  }

  private static JsonObject describe(Voc07Svm.ClassResult c) {
    return new JsonObject()
        .put("class", c.className())
        .put("c", TaskReport.jsonNumber(c.cost()))
        .put("cv_ap", TaskReport.jsonNumber(c.crossValidationAp()))
        .put("ap", TaskReport.jsonNumber(c.testAp()))
        .put("trainval_positives", c.trainvalPositives())
        .put("test_positives", c.testPositives());
  }

  private static String protocol() {
    return "LIBLINEAR L2R_L2LOSS_SVC_DUAL, positives weighted "
        + LinearSvm.POSITIVE_WEIGHT
        + ":1, C from "
        + Voc07Svm.COSTS
        + " by "
        + Voc07Svm.FOLDS
        + "-fold CV AP on trainval; non-interpolated AP, difficult images left out of test";
  }

  /** Each class's label of every image: {@code [class][image]}. */
  static int[][] labels(ClassificationSet set) {
    int[][] out = new int[set.classes().size()][set.size()];
    for (int c = 0; c < out.length; c++) {
      for (int i = 0; i < set.size(); i++) {
        out[c][i] = set.label(i, c);
      }
    }
    return out;
  }
}
