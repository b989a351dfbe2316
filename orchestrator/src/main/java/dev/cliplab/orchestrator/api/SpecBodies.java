package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.sweep.SpecError;
import dev.cliplab.worker.config.ConfigFiles;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/** Reads a sweep spec from a request body, as JSON or, by its content type, as YAML. */
final class SpecBodies {

  /** The content types read as YAML. */
  static final Set<String> YAML_TYPES =
      Set.of("application/yaml", "text/yaml", "application/x-yaml", "text/x-yaml");

  private SpecBodies() {}

  /**
   * The body's top-level object.
   *
   * @throws ApiException a 400 saying what is wrong, and for YAML the line and column
   */
  static JsonObject read(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    if (isYaml(ctx.request().getHeader("content-type"))) {
      return yaml(raw == null ? "" : raw.toString(StandardCharsets.UTF_8));
    }
    Object parsed = raw == null || raw.length() == 0 ? null : Json.decodeValue(raw);
    if (!(parsed instanceof JsonObject body)) {
      throw ApiException.badRequest("", "the request body must be a JSON object (the sweep spec)");
    }
    return body;
  }

  private static boolean isYaml(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return YAML_TYPES.contains(mediaType);
  }

  private static JsonObject yaml(String text) {
    try {
      return ConfigFiles.parse(text);
    } catch (IllegalArgumentException e) {
      String where = e.getMessage();
      if (e.getCause() instanceof MarkedYamlEngineException marked
          && marked.getProblemMark().isPresent()) {
        Mark mark = marked.getProblemMark().get();
        where =
            "line "
                + (mark.getLine() + 1)
                + ", column "
                + (mark.getColumn() + 1)
                + ": "
                + marked.getProblem();
      }
      throw new ApiException(
          400, "the request body is not valid YAML", List.of(new SpecError("", where)));
    }
  }
}
