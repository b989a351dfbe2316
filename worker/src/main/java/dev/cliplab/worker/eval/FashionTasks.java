package dev.cliplab.worker.eval;

import dev.cliplab.worker.data.ClassificationSet;
import dev.cliplab.worker.data.IdxFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The Fashion-MNIST tasks: linear evaluation ({@link LinearProbe}) on the pooled backbone features
 * of the training split, scored on the test split; and zero-shot classification of the test split.
 */
final class FashionTasks {

  /** The split prefixes of the MNIST layout. */
  private static final String TRAIN = "train";

  private static final String TEST = "t10k";

  private FashionTasks() {}

  static TaskReport linear(EvalContext context, String task) throws IOException {
    Path root = context.corpus().fashionMnist();
    if (!Files.isDirectory(root)) {
      return TaskReport.skipped(task, "the corpus has no Fashion-MNIST at " + root);
    }
    ClassificationSet train = IdxFiles.readSplit(root, TRAIN);
    ClassificationSet test = IdxFiles.readSplit(root, TEST);
    FeatureMatrix trainX = context.features("fashion-mnist-train", train.images()).backbone();
    FeatureMatrix testX = context.features("fashion-mnist-test", test.images()).backbone();
    LinearProbe.Recipe recipe = context.options().linearRecipe();
    LinearProbe probe = LinearProbe.train(trainX, labels(train), train.classes().size(), recipe);
    float[][] scores = probe.scores(testX);
    int[] testLabels = labels(test);
    List<EvalResult> metrics =
        List.of(
            new EvalResult(task, "top1", RankingMetrics.topK(scores, testLabels, 1)),
            new EvalResult(task, "top5", RankingMetrics.topK(scores, testLabels, 5)));
    JsonObject details =
        new JsonObject()
            .put("train_images", train.size())
            .put("test_images", test.size())
            .put("feature_dim", trainX.dim())
            .put("recipe", describe(recipe));
    return new TaskReport(task, metrics, details, Optional.empty());
  }

  static TaskReport zeroShot(EvalContext context, String task) throws IOException {
    Path root = context.corpus().fashionMnist();
    if (!Files.isDirectory(root)) {
      return TaskReport.skipped(task, "the corpus has no Fashion-MNIST at " + root);
    }
    ClassificationSet test = IdxFiles.readSplit(root, TEST);
    FeatureMatrix images = context.features("fashion-mnist-test", test.images()).embeddings();
    List<String> templates = context.options().fashionTemplates();
    List<String> prompts = ZeroShot.prompts(templates, test.classes());
    FeatureMatrix classes = ZeroShot.classEmbeddings(context.texts(prompts), templates.size());
    double top1 = ZeroShot.top1(images, classes, labels(test));
    JsonObject details =
        new JsonObject()
            .put("test_images", test.size())
            .put("classes", new JsonArray(test.classes()))
            .put("templates", new JsonArray(templates));
    return new TaskReport(
        task, List.of(new EvalResult(task, "top1", top1)), details, Optional.empty());
  }

  private static JsonObject describe(LinearProbe.Recipe recipe) {
    return new JsonObject()
        .put("features", "pooled backbone, L2-normalised, standardised on train")
        .put("optimizer", "sgd")
        .put("epochs", recipe.epochs())
        .put("batch_size", recipe.batchSize())
        .put("learning_rate", recipe.learningRate())
        .put("schedule", "cosine to zero")
        .put("momentum", recipe.momentum())
        .put("weight_decay", recipe.weightDecay())
        .put("seed", recipe.seed());
  }

  private static int[] labels(ClassificationSet set) {
    int[] out = new int[set.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = set.label(i);
    }
    return out;
  }
}
