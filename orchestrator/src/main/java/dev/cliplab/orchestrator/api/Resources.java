package dev.cliplab.orchestrator.api;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Documents the API serves as they are, read once from the application's resources. */
final class Resources {

  /** The OpenAPI 3.1 document of the REST API. */
  static final String OPENAPI = "/dev/cliplab/orchestrator/api/openapi.json";

  private Resources() {}

  static Buffer read(String path) {
    try (InputStream in = Resources.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the application");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
