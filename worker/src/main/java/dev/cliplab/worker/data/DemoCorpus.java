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

/**
 * Where the demo corpus (or the fixture, same layout) keeps each split and task.
 *
 * @param root the corpus folder
 */
public record DemoCorpus(Path root) {

  /** Name of the file whose presence, written last, marks a complete build. */
  public static final String MANIFEST = "manifest.json";

  /** Returns the pretraining split's training annotations. */
  public Path trainAnnotations() {
    return root.resolve("pretrain/annotations/captions_train.json");
  }

  /** Returns the pretraining split's validation annotations. */
  public Path valAnnotations() {
    return root.resolve("pretrain/annotations/captions_val.json");
  }

  /** Returns the folder of the training and validation images. */
  public Path trainImages() {
    return root.resolve("pretrain/images");
  }

  /** Returns the annotations of the held-out emoji style. */
  public Path heldoutAnnotations() {
    return root.resolve("heldout/annotations/captions_heldout.json");
  }

  /** Returns the folder of the held-out images. */
  public Path heldoutImages() {
    return root.resolve("heldout/images");
  }

  /**
   * Returns the folder of the VOC07-style multi-label set of the held-out emoji style: {@code
   * JPEGImages/<id>.png}, {@code ImageSets/Main/<class>_{trainval,test}.txt} and {@code
   * classes.txt}.
   */
  public Path vocEmoji() {
    return root.resolve("transfer/voc-emoji");
  }

  /**
   * Returns the folder of the Fashion-MNIST transfer set: its four gzipped IDX files and {@code
   * classes.txt}, the class names in label order.
   */
  public Path fashionMnist() {
    return root.resolve("transfer/fashion-mnist");
  }

  /** Returns the folder for derived files such as pixel caches. */
  public Path cacheDir() {
    return root.resolve("cache");
  }

  /** Returns the corpus manifest. */
  public Path manifest() {
    return root.resolve(MANIFEST);
  }

  /**
   * Reads the held-out emoji-group classification task from {@code heldout/emoji_groups.json}.
   *
   * @return the task
   * @throws IOException if the file cannot be read, or a label names an unknown class
   */
  public ZeroShotTask emojiGroups() throws IOException {
    Path file = root.resolve("heldout/emoji_groups.json");
    JsonObject json = readJson(file);
    List<String> classes = new ArrayList<>();
    json.getJsonArray("classes", new JsonArray()).forEach(c -> classes.add(String.valueOf(c)));
    Map<Long, Integer> labels = new LinkedHashMap<>();
    for (Object o : json.getJsonArray("labels", new JsonArray())) {
      JsonObject label = (JsonObject) o;
      long imageId = label.getLong("image_id");
      int index = classes.indexOf(label.getString("class"));
      if (index < 0) {
        throw new IOException(file + ": image " + imageId + " has unknown class " + label);
      }
      if (labels.put(imageId, index) != null) {
        throw new IOException(file + ": image " + imageId + " is labelled twice");
      }
    }
    return new ZeroShotTask(json.getString("name", "emoji-groups"), classes, labels);
  }

  /**
   * Tells whether a build finished here: the manifest, written last, is present, parses, says it is
   * complete, and every annotations file it lists exists.
   */
  public boolean isBuilt() {
    if (!Files.isRegularFile(manifest())) {
      return false;
    }
    try {
      JsonObject m = readJson(manifest());
      return m.getBoolean("complete", false)
          && Files.isRegularFile(trainAnnotations())
          && Files.isRegularFile(valAnnotations())
          && Files.isRegularFile(heldoutAnnotations());
    } catch (IOException | ClassCastException e) {
      return false;
    }
  }

  /**
   * Reads a JSON object from a file.
   *
   * @param file the file
   * @return the object
   * @throws IOException if it cannot be read or is not a JSON object
   */
  public static JsonObject readJson(Path file) throws IOException {
    try {
      return new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
    } catch (DecodeException | ClassCastException e) {
      throw new IOException(file + ": not a JSON object: " + e.getMessage(), e);
    }
  }
}
