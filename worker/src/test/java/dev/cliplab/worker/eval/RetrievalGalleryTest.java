package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.data.CaptionedImage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetrievalGalleryTest {

  private static final List<CaptionedImage> IMAGES =
      List.of(
          new CaptionedImage(10, "010.png", List.of("a cat", "kitten")),
          new CaptionedImage(11, "011.png", List.of("a dog")),
          new CaptionedImage(12, "012.png", List.of("a car")),
          new CaptionedImage(13, "013.png", List.of("a tree")));
  private static final List<String> CAPTIONS =
      List.of("a cat", "kitten", "a dog", "a car", "a tree");
  private static final int[] OWNERS = {0, 0, 1, 2, 3};

  @Test
  @DisplayName("shows evenly spaced images with their best captions first and marks their own")
  void bestCaptionsFirst() {
    float[][] similarity = {
      {0.2f, 0.9f, 0.5f, -0.1f, 0.3f},
      {0.0f, 0.0f, 1.0f, 0.0f, 0.0f},
      {0.7f, 0.1f, 0.4f, 0.6f, 0.8f},
      {0.0f, 0.0f, 0.0f, 0.0f, 1.0f}
    };

    JsonArray gallery = RetrievalGallery.of(IMAGES, CAPTIONS, OWNERS, similarity, 2, 3);

    // Two of four images: rows 0 and 2.
    assertThat(gallery).hasSize(2);
    JsonObject cat = gallery.getJsonObject(0);
    assertThat(cat.getLong("image_id")).isEqualTo(10L);
    assertThat(cat.getString("file_name")).isEqualTo("010.png");
    assertThat(captions(cat)).containsExactly("kitten", "a dog", "a tree");
    assertThat(owns(cat)).containsExactly(true, false, false);
    assertThat(cat.getJsonArray("top").getJsonObject(0).getDouble("score"))
        .isEqualTo(0.9f, org.assertj.core.data.Offset.offset(1e-6));

    JsonObject car = gallery.getJsonObject(1);
    assertThat(car.getLong("image_id")).isEqualTo(12L);
    // The car's own caption ranks third, behind the tree and the cat.
    assertThat(captions(car)).containsExactly("a tree", "a cat", "a car");
    assertThat(owns(car)).containsExactly(false, false, true);
  }

  @Test
  @DisplayName("ties keep the captions' order, NaN ranks last and small sets show every image")
  void tiesAndNan() {
    float[][] similarity = {
      {Float.NaN, 0.5f, 0.5f, 0.5f, 0.1f},
      {0f, 0f, 0f, 0f, 0f},
      {0f, 0f, 0f, 0f, 0f},
      {0f, 0f, 0f, 0f, 0f}
    };

    JsonArray gallery = RetrievalGallery.of(IMAGES, CAPTIONS, OWNERS, similarity, 12, 5);

    assertThat(gallery).hasSize(4);
    JsonObject first = gallery.getJsonObject(0);
    assertThat(captions(first)).containsExactly("kitten", "a dog", "a car", "a tree", "a cat");
    assertThat(first.getJsonArray("top").getJsonObject(4).getValue("score")).isNull();
  }

  private static List<String> captions(JsonObject entry) {
    return entry.getJsonArray("top").stream()
        .map(o -> ((JsonObject) o).getString("caption"))
        .toList();
  }

  private static List<Boolean> owns(JsonObject entry) {
    return entry.getJsonArray("top").stream().map(o -> ((JsonObject) o).getBoolean("own")).toList();
  }
}
