package dev.cliplab.worker.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.data.ZeroShotTask;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.model.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the held-out evaluations of a model: zero-shot classification from one prompt per class and
 * image–text retrieval, both by cosine similarity of the projected embeddings.
 */
public final class HeldoutEvaluator {

  /** Task name of the zero-shot evaluation on the held-out emoji groups. */
  public static final String ZERO_SHOT_TASK = "zeroshot_emoji_groups";

  /** Task name of the retrieval evaluation on the held-out captions. */
  public static final String RETRIEVAL_TASK = "retrieval_heldout";

  /** The prompt a class name is put into, as in CLIP. */
  public static final String PROMPT = "a picture of a %s.";

  private static final Logger LOG = LoggerFactory.getLogger(HeldoutEvaluator.class);

  private final ClipLiteModel model;
  private final Vocabulary vocabulary;
  private final int maxTokens;
  private final int batchSize;

  /**
   * Creates an evaluator.
   *
   * @param model an initialised model
   * @param vocabulary the vocabulary the model was trained with
   * @param maxTokens the caption length the model was trained with
   * @param batchSize images or texts embedded per forward pass
   */
  public HeldoutEvaluator(
      ClipLiteModel model, Vocabulary vocabulary, int maxTokens, int batchSize) {
    this.model = model;
    this.vocabulary = vocabulary;
    this.maxTokens = maxTokens;
    this.batchSize = batchSize;
  }

  /**
   * Evaluates zero-shot top-1 (over the labelled images) and retrieval recall (over all images).
   *
   * @param manager the manager under which temporary arrays are made and freed
   * @param pixels the held-out images' pixels, indexed like {@code images}
   * @param images the held-out images and their captions
   * @param zeroShot the classes and the labels of some of the images
   * @return {@code top1} of {@value #ZERO_SHOT_TASK} (when any image is labelled), then the six
   *     recalls of {@value #RETRIEVAL_TASK}
   */
  public List<EvalResult> evaluate(
      NDManager manager, PixelCache pixels, List<CaptionedImage> images, ZeroShotTask zeroShot) {
    List<EvalResult> results = new ArrayList<>();
    try (NDManager scope = manager.newSubManager()) {
      ParameterStore ps = new ParameterStore(scope, false);
      int[] all = new int[images.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      float[][] imageEmbeddings = embedImages(scope, ps, pixels, all);
      zeroShot(scope, ps, imageEmbeddings, images, zeroShot).ifPresent(results::add);

      List<String> captions = new ArrayList<>();
      List<Integer> owners = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        for (String caption : images.get(i).captions()) {
          captions.add(caption);
          owners.add(i);
        }
      }
      float[][] textEmbeddings = embedTexts(scope, ps, captions);
      float[][] similarity = cosines(scope, imageEmbeddings, textEmbeddings);
      int[] captionImage = owners.stream().mapToInt(Integer::intValue).toArray();
      for (Map.Entry<String, Double> e :
          RankingMetrics.retrieval(similarity, captionImage).entrySet()) {
        results.add(new EvalResult(RETRIEVAL_TASK, e.getKey(), e.getValue()));
      }
    }
    return results;
  }

  private Optional<EvalResult> zeroShot(
      NDManager scope,
      ParameterStore ps,
      float[][] imageEmbeddings,
      List<CaptionedImage> images,
      ZeroShotTask task) {
    List<float[]> labelled = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      Integer label = task.labelByImageId().get(images.get(i).id());
      if (label != null) {
        labelled.add(imageEmbeddings[i]);
        labels.add(label);
      }
    }
    if (labelled.isEmpty()) {
      LOG.warn("No held-out image has a {} label; skipping zero-shot", task.name());
      return Optional.empty();
    }
    List<String> prompts = task.classNames().stream().map(c -> String.format(PROMPT, c)).toList();
    float[][] classEmbeddings = embedTexts(scope, ps, prompts);
    float[][] similarity = cosines(scope, labelled.toArray(float[][]::new), classEmbeddings);
    double top1 = RankingMetrics.top1(similarity, labels.stream().mapToInt(i -> i).toArray());
    return Optional.of(new EvalResult(ZERO_SHOT_TASK, "top1", top1));
  }

  private float[][] embedImages(
      NDManager scope, ParameterStore ps, PixelCache pixels, int[] indices) {
    int side = pixels.size();
    float[][] out = new float[indices.length][];
    for (int from = 0; from < indices.length; from += batchSize) {
      int n = Math.min(batchSize, indices.length - from);
      int[] chunk = Arrays.copyOfRange(indices, from, from + n);
      float[] batch = new float[n * 3 * side * side];
      pixels.fillBatch(chunk, batch);
      try (NDManager step = scope.newSubManager()) {
        NDArray input = step.create(batch, new Shape(n, 3, side, side));
        copyRows(embed(model.imageTower(), ps, input), out, from);
      }
    }
    return out;
  }

  private float[][] embedTexts(NDManager scope, ParameterStore ps, List<String> texts) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += batchSize) {
      int n = Math.min(batchSize, texts.size() - from);
      int[][] encoded = new int[n][];
      for (int i = 0; i < n; i++) {
        encoded[i] = vocabulary.encode(texts.get(from + i), maxTokens);
      }
      try (NDManager step = scope.newSubManager()) {
        NDArray input = TokenBatch.pack(encoded).toArray(step);
        copyRows(embed(model.textTower(), ps, input), out, from);
      }
    }
    return out;
  }

  private static NDArray embed(Block tower, ParameterStore ps, NDArray input) {
    return tower.forward(ps, new NDList(input), false).head();
  }

  private static void copyRows(NDArray embeddings, float[][] out, int from) {
    int rows = Math.toIntExact(embeddings.getShape().get(0));
    int width = Math.toIntExact(embeddings.getShape().get(1));
    float[] flat = embeddings.toFloatArray();
    for (int r = 0; r < rows; r++) {
      out[from + r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
  }

  /** Rows of both inputs are unit vectors, so their dot products are the cosines. */
  private static float[][] cosines(NDManager scope, float[][] rows, float[][] columns) {
    if (rows.length == 0 || columns.length == 0) {
      return new float[rows.length][columns.length];
    }
    try (NDManager step = scope.newSubManager()) {
      NDArray a = step.create(rows);
      NDArray b = step.create(columns);
      float[] flat = a.matMul(b.transpose()).toFloatArray();
      float[][] out = new float[rows.length][];
      for (int r = 0; r < rows.length; r++) {
        out[r] = Arrays.copyOfRange(flat, r * columns.length, (r + 1) * columns.length);
      }
      return out;
    }
  }
}
