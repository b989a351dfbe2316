package dev.cliplab.orchestrator.api;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The published reference numbers the API serves, labelled apart from anything measured. */
final class References {

  private static final String RESOURCE = "/dev/cliplab/orchestrator/references.json";

  private References() {}

  static JsonObject load() {
    try (InputStream in = References.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the application");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
