package dev.cliplab.worker.data;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a COCO captions JSON file ({@code images[{id, file_name, width, height}]}, {@code
 * annotations[{id, image_id, caption}]}).
 */
public final class CocoCaptions {

  private static final Logger LOG = LoggerFactory.getLogger(CocoCaptions.class);

  private CocoCaptions() {}

  /**
   * Reads the images that have at least one caption, in the file order of {@code images}.
   *
   * <p>A caption whose {@code image_id} is unknown, a duplicate image id, a blank caption or a
   * missing field is an error naming the file and the id; an image without any caption is dropped
   * with a warning, as COCO-style files sometimes list images that were never annotated.
   *
   * @param annotationsJson the annotations file
   * @return the captioned images
   * @throws IOException if the file cannot be read or breaks one of the rules above
   */
  public static List<CaptionedImage> read(Path annotationsJson) throws IOException {
    JsonObject root = parse(annotationsJson);
    Map<Long, String> fileNames =
        readImages(annotationsJson, array(annotationsJson, root, "images"));
    Map<Long, List<String>> captions = new LinkedHashMap<>();
    JsonArray annotations = array(annotationsJson, root, "annotations");
    for (int i = 0; i < annotations.size(); i++) {
      JsonObject a = object(annotationsJson, annotations, i, "annotations");
      long imageId = number(annotationsJson, a, "image_id", "annotation " + a.getValue("id"));
      String caption = a.getValue("caption") instanceof String s ? s : null;
      if (!fileNames.containsKey(imageId)) {
        throw new IOException(
            annotationsJson
                + ": annotation "
                + a.getValue("id")
                + " names unknown image "
                + imageId);
      }
      if (caption == null || caption.isBlank()) {
        throw new IOException(
            annotationsJson
                + ": annotation "
                + a.getValue("id")
                + " of image "
                + imageId
                + " has an empty caption");
      }
      captions.computeIfAbsent(imageId, k -> new ArrayList<>()).add(caption.strip());
    }
    return join(annotationsJson, fileNames, captions);
  }

  private static List<CaptionedImage> join(
      Path file, Map<Long, String> fileNames, Map<Long, List<String>> captions) {
    List<CaptionedImage> images = new ArrayList<>(fileNames.size());
    for (Map.Entry<Long, String> e : fileNames.entrySet()) {
      List<String> c = captions.get(e.getKey());
      if (c != null) {
        images.add(new CaptionedImage(e.getKey(), e.getValue(), c));
      }
    }
    int dropped = fileNames.size() - images.size();
    if (dropped > 0) {
      LOG.warn(
          "Dropped {} of {} images without any caption in {}", dropped, fileNames.size(), file);
    }
    return images;
  }

  private static Map<Long, String> readImages(Path file, JsonArray images) throws IOException {
    Map<Long, String> fileNames = new LinkedHashMap<>();
    for (int i = 0; i < images.size(); i++) {
      JsonObject image = object(file, images, i, "images");
      long id = number(file, image, "id", "image at index " + i);
      if (!(image.getValue("file_name") instanceof String name) || name.isBlank()) {
        throw new IOException(file + ": image " + id + " has no file_name");
      }
      if (fileNames.putIfAbsent(id, name) != null) {
        throw new IOException(file + ": duplicate image id " + id);
      }
    }
    return fileNames;
  }

  private static JsonObject parse(Path file) throws IOException {
    try {
      return new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + ": not a JSON object: " + e.getMessage(), e);
    }
  }

  private static JsonArray array(Path file, JsonObject root, String key) throws IOException {
    if (root.getValue(key) instanceof JsonArray a) {
      return a;
    }
    throw new IOException(file + ": missing array '" + key + "'");
  }

  private static JsonObject object(Path file, JsonArray array, int index, String key)
      throws IOException {
    if (array.getValue(index) instanceof JsonObject o) {
      return o;
    }
    throw new IOException(file + ": " + key + "[" + index + "] is not an object");
  }

  private static long number(Path file, JsonObject o, String key, String what) throws IOException {
    if (o.getValue(key) instanceof Number n) {
      return n.longValue();
    }
    throw new IOException(file + ": " + what + " has no numeric '" + key + "'");
  }
}
