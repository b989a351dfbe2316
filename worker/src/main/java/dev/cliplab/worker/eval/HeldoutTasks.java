package dev.cliplab.worker.eval;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.ImageFiles;
import dev.cliplab.worker.data.ZeroShotTask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tasks on the held-out emoji style: zero-shot classification into emoji groups and image–text
 * retrieval, both on the projected embeddings.
 */
final class HeldoutTasks {

  /** The file of the emoji-group labels, inside the corpus. */
  static final String EMOJI_GROUPS = "heldout/emoji_groups.json";

  /** Names the held-out images' caches as training names its pixel cache, so both share it. */
  private static final String SET = "heldout";

  private HeldoutTasks() {}

  static TaskReport zeroShot(EvalContext context, String task) throws IOException {
    Path annotations = context.corpus().heldoutAnnotations();
    Path groups = context.corpus().root().resolve(EMOJI_GROUPS);
    if (!Files.isRegularFile(annotations) || !Files.isRegularFile(groups)) {
      return TaskReport.skipped(task, "the corpus has no " + annotations + " or no " + groups);
    }
    List<CaptionedImage> images = CocoCaptions.read(annotations);
    ZeroShotTask labels = context.corpus().emojiGroups();
    FeatureMatrix embeddings = features(context, images).embeddings();
    List<Integer> rows = new ArrayList<>();
    List<Integer> classOf = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Integer label = labels.labelByImageId().get(images.get(i).id());
      if (label != null) {
        rows.add(i);
        classOf.add(label);
      }
    }
    if (rows.isEmpty()) {
      return TaskReport.skipped(task, "no held-out image has an emoji-group label in " + groups);
    }
    List<String> templates = context.options().emojiTemplates();
    List<String> prompts = ZeroShot.prompts(templates, labels.classNames());
    FeatureMatrix classes = ZeroShot.classEmbeddings(context.texts(prompts), templates.size());
    FeatureMatrix labelled = embeddings.select(rows.stream().mapToInt(i -> i).toArray());
    double top1 = ZeroShot.top1(labelled, classes, classOf.stream().mapToInt(i -> i).toArray());
    JsonObject details =
        new JsonObject()
            .put("images", rows.size())
            .put("classes", new JsonArray(labels.classNames()))
            .put("templates", new JsonArray(templates));
    return new TaskReport(
        task, List.of(new EvalResult(task, "top1", top1)), details, Optional.empty());
  }

  static TaskReport retrieval(EvalContext context, String task) throws IOException {
    Path annotations = context.corpus().heldoutAnnotations();
    if (!Files.isRegularFile(annotations)) {
      return TaskReport.skipped(task, "the corpus has no " + annotations);
    }
    List<CaptionedImage> images = CocoCaptions.read(annotations);
    FeatureMatrix imageEmbeddings = features(context, images).embeddings().l2Normalized();
    List<String> captions = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      for (String caption : images.get(i).captions()) {
        captions.add(caption);
        owners.add(i);
      }
    }
    FeatureMatrix texts = context.texts(captions).l2Normalized();
    float[][] similarity = imageEmbeddings.dot(texts);
    int[] captionImage = owners.stream().mapToInt(i -> i).toArray();
    Map<String, Double> recalls = RankingMetrics.retrieval(similarity, captionImage);
    List<EvalResult> metrics = new ArrayList<>();
    recalls.forEach((metric, value) -> metrics.add(new EvalResult(task, metric, value)));
    metrics.add(new EvalResult(task, "mean_recall", RankingMetrics.meanRecall(recalls)));
    JsonObject details =
        new JsonObject()
            .put("images", images.size())
            .put("captions", captions.size())
            .put(
                "gallery",
                RetrievalGallery.of(
                    images,
                    captions,
                    captionImage,
                    similarity,
                    RetrievalGallery.IMAGES,
                    RetrievalGallery.TOP));
    return new TaskReport(task, metrics, details, Optional.empty());
  }

  private static ImageFeatures features(EvalContext context, List<CaptionedImage> images)
      throws IOException {
    return context.features(SET, ImageFiles.of(context.corpus().heldoutImages(), images));
  }
}
