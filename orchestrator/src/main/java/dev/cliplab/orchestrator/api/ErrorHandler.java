package dev.cliplab.orchestrator.api;

import dev.cliplab.orchestrator.sweep.InvalidSpecException;
import dev.cliplab.orchestrator.sweep.SpecError;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failed request into a JSON body {@code {"error", "field", "errors": [{field,
 * message}]}}; unexpected failures are logged once here and reach the client without internals.
 */
final class ErrorHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof InvalidSpecException invalid) {
      send(ctx, 400, "invalid sweep spec", invalid.errors());
    } else if (failure instanceof ApiException api) {
      send(ctx, api.status(), api.getMessage(), api.errors());
    } else if (failure instanceof DecodeException) {
      send(
          ctx,
          400,
          "the request body is not valid JSON",
          List.of(new SpecError("", failure.getMessage())));
    } else if (failure == null && ctx.statusCode() < 500) {
      send(ctx, ctx.statusCode(), statusText(ctx.statusCode()), List.of());
    } else {
      LOG.error("Request {} {} failed", ctx.request().method(), ctx.request().path(), failure);
      send(ctx, 500, "internal error; the orchestrator's log has the details", List.of());
    }
  }

  private static String statusText(int status) {
    return switch (status) {
      case 404 -> "no such resource";
      case 400 -> "bad request";
      case 405 -> "method not allowed on this path";
      case 406 -> "cannot answer in the format asked for";
      case 413 -> "request body too large";
      case 415 -> "unsupported content type";
      default -> "request failed";
    };
  }

  private static void send(RoutingContext ctx, int status, String message, List<SpecError> errors) {
    JsonArray list = new JsonArray();
    errors.forEach(
        e -> list.add(new JsonObject().put("field", e.field()).put("message", e.message())));
    JsonObject body =
        new JsonObject()
            .put("error", message)
            .put("field", errors.isEmpty() ? "" : errors.get(0).field())
            .put("errors", list);
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encodePrettily());
  }
}
