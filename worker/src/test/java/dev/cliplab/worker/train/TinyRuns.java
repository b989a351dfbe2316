package dev.cliplab.worker.train;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A model small enough to train on the committed fixture in seconds, and a copy of the fixture. */
public final class TinyRuns {

  /** The committed fixture corpus, relative to the worker module. */
  public static final Path FIXTURE = Path.of("src/test/resources/fixture");

  private TinyRuns() {}

  /** Trial parameters of a tiny model; 231 training images in batches of 16 make 14 steps. */
  public static JsonObject params() {
    return new JsonObject()
        .put("batch_size", 16)
        .put("epochs", 12)
        .put("image_width", 8)
        .put("embed_dim", 32)
        .put("text_hidden", 32)
        .put("text_heads", 2)
        .put("text_layers", 1)
        .put("learning_rate", 3e-3)
        .put("warmup_steps", 10)
        .put("min_word_count", 1);
  }

  /**
   * Copies the fixture into {@code target}, because a run writes its pixel caches into the corpus.
   */
  public static Path copyFixture(Path target) throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURE)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path copy = target.resolve(FIXTURE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(source, copy);
        }
      }
    }
    return target;
  }
}
