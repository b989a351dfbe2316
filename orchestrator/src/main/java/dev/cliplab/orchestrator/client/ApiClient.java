package dev.cliplab.orchestrator.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A blocking client of the REST API, for one command-line call. */
final class ApiClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A client of the API at {@code address}, given with or without its {@code /api} suffix. */
  ApiClient(String address) {
    String trimmed = address.strip().replaceAll("/+$", "");
    this.base = trimmed.endsWith("/api") ? trimmed : trimmed + "/api";
  }

  /** The address of an API path such as {@code /sweeps/3}. */
  String url(String path) {
    return base + path;
  }

  /** Sends a GET. */
  Answer get(String path) throws ApiUnreachable {
    return send("GET", path, HttpRequest.newBuilder(URI.create(url(path))).GET());
  }

  /** Sends a POST with a body of the given content type. */
  Answer post(String path, String body, String contentType) throws ApiUnreachable {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url(path)))
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return send("POST", path, request);
  }

  private Answer send(String method, String path, HttpRequest.Builder request)
      throws ApiUnreachable {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(TIMEOUT).build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(method + " " + url(path), response.statusCode(), response.body());
    } catch (ConnectException e) {
      throw new ApiUnreachable("cannot reach the API at " + base + " (connection refused)", e);
    } catch (IOException e) {
      throw new ApiUnreachable("cannot reach the API at " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiUnreachable("interrupted while waiting for " + base, e);
    }
  }

  /** The API could not be asked at all. */
  static final class ApiUnreachable extends Exception {
    ApiUnreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What the API answered.
   *
   * @param request the method and address asked, for messages
   * @param status the HTTP status
   * @param body the body as text
   */
  record Answer(String request, int status, String body) {

    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    /**
     * The refusal as lines: first what went wrong, then each {@code field: message}; the body's own
     * text when it is not the API's JSON error.
     */
    List<String> errorLines() {
      List<String> lines = new ArrayList<>();
      try {
        JsonObject error = json();
        lines.add(
            error.getString("error", "request failed") + " (" + status + " from " + request + ")");
        for (Object e : error.getJsonArray("errors", new JsonArray())) {
          JsonObject item = (JsonObject) e;
          String field = item.getString("field", "");
          lines.add((field.isEmpty() ? "" : field + ": ") + item.getString("message"));
        }
      } catch (DecodeException | ClassCastException e) {
        lines.add("the API answered " + status + " to " + request + ": " + body.strip());
      }
      return lines;
    }
  }
}
