package dev.cliplab.worker.eval;

import dev.cliplab.worker.data.CaptionedImage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A few held-out images with the captions the model ranks highest for each, so that a person can
 * see what retrieval recall measures. The images are spread evenly over the held-out set, so the
 * same model always shows the same images and two models can be compared image by image.
 */
final class RetrievalGallery {

  /** Images shown per evaluation. */
  static final int IMAGES = 12;

  /** Captions shown per image. */
  static final int TOP = 5;

  private RetrievalGallery() {}

  /**
   * Builds the gallery.
   *
   * @param images the held-out images, in the order of the rows of {@code similarity}
   * @param captions every caption, in the order of the columns of {@code similarity}
   * @param owners the image index of each caption
   * @param similarity image-by-caption cosine similarities
   * @param count how many images to show, spread evenly over {@code images}
   * @param top how many captions to show per image
   * @return one entry per image: {@code image_id}, {@code file_name} and {@code top}, a list of
   *     {@code caption}, {@code score} and {@code own} (whether the caption is the image's own),
   *     best first; ties keep the captions' order
   */
  static JsonArray of(
      List<CaptionedImage> images,
      List<String> captions,
      int[] owners,
      float[][] similarity,
      int count,
      int top) {
    JsonArray gallery = new JsonArray();
    int shown = Math.min(count, images.size());
    for (int k = 0; k < shown; k++) {
      int row = (int) ((long) k * images.size() / shown);
      CaptionedImage image = images.get(row);
      JsonArray ranked = new JsonArray();
      for (int column : best(similarity[row], top)) {
        ranked.add(
            new JsonObject()
                .put("caption", captions.get(column))
                .put("score", TaskReport.jsonNumber(similarity[row][column]))
                .put("own", owners[column] == row));
      }
      gallery.add(
          new JsonObject()
              .put("image_id", image.id())
              .put("file_name", image.fileName())
              .put("top", ranked));
    }
    return gallery;
  }

  /** The columns of the {@code top} highest scores, best first; NaN ranks last. */
  private static int[] best(float[] scores, int top) {
    Comparator<Integer> byScore =
        Comparator.comparingDouble(
            c -> Float.isNaN(scores[c]) ? Double.POSITIVE_INFINITY : -scores[c]);
    Integer[] columns = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(columns, byScore);
    return Arrays.stream(columns).limit(top).mapToInt(Integer::intValue).toArray();
  }
}
