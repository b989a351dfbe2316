package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The API's published description against the routes it serves, and its error bodies. */
class ApiContractTest {

  // Described ahead of their handlers: the scheduling controls and the worker registry.
  private static Vertx vertx;
  private static Platform platform;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    platform = PlatformTestSupport.apiOnly(vertx);
    client = WebClient.create(vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static JsonObject document() throws Exception {
    HttpResponse<Buffer> response =
        await(client.getAbs(platform.apiAddress() + "/openapi.json").send());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  @Test
  @DisplayName("every route the router serves is in the OpenAPI document, and the other way")
  void openApiDocumentMatchesTheRoutes() throws Exception {
    JsonObject doc = document();
    Set<String> documented = new TreeSet<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        documented.add(method.toUpperCase() + " " + path);
      }
    }
    Set<String> routed = new TreeSet<>();
    for (Route route : platform.api().router().getRoutes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith("/api/") || route.methods() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        routed.add(method.name() + " " + path.replaceAll(":(\\w+)", "{$1}"));
      }
    }

    assertThat(doc.getString("openapi")).startsWith("3.1.");
    assertThat(routed).isNotEmpty().isEqualTo(documented);
  }

  @Test
  @DisplayName("every operation names its answers and every error answer is the one error shape")
  void everyOperationDescribesItsErrors() throws Exception {
    JsonObject doc = document();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject responses =
            paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses");
        assertThat(responses.fieldNames()).as(method + " " + path).anyMatch(s -> s.startsWith("2"));
        for (String status : responses.fieldNames()) {
          if (status.startsWith("4")) {
            assertThat(responses.getJsonObject(status).getString("$ref"))
                .as(method + " " + path + " " + status)
                .startsWith("#/components/responses/");
          }
        }
      }
    }
    assertThat(
            doc.getJsonObject("components")
                .getJsonObject("schemas")
                .getJsonObject("Error")
                .getJsonArray("required"))
        .isEqualTo(new JsonArray().add("error").add("field").add("errors"));
  }

  @Test
  @DisplayName("unknown paths are 404s, wrong methods 405s, unread formats 415s, all as JSON")
  void routingErrorsAreJson() throws Exception {
    String api = platform.apiAddress();
    HttpResponse<Buffer> unknown = await(client.getAbs(api + "/nothing/here").send());
    HttpResponse<Buffer> method = await(client.deleteAbs(api + "/sweeps").send());
    HttpResponse<Buffer> format =
        await(
            client
                .postAbs(api + "/sweeps")
                .putHeader("content-type", "text/plain")
                .sendBuffer(Buffer.buffer("name: x")));

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("error", "no such resource")
                .put("field", "")
                .put("errors", new JsonArray()));
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.bodyAsJsonObject().getString("error"))
        .isEqualTo("method not allowed on this path");
    assertThat(format.statusCode()).isEqualTo(415);
    assertThat(format.bodyAsJsonObject().getString("field")).isEqualTo("content-type");
    assertThat(format.getHeader("content-type")).isEqualTo("application/json");
  }

  @Test
  @DisplayName("a JSON body with a charset parameter is read, not refused as an unknown format")
  void jsonWithCharsetIsAccepted() throws Exception {
    HttpResponse<Buffer> created =
        await(
            client
                .postAbs(platform.apiAddress() + "/sweeps")
                .putHeader("content-type", "application/json; charset=utf-8")
                .sendBuffer(
                    Buffer.buffer("{\"name\": \"cs\", \"parameters\": {\"batch_size\": [16]}}")));

    assertThat(created.statusCode()).isEqualTo(201);
  }

  @Test
  @DisplayName("the dashboard is still served outside /api")
  void dashboardIsServed() throws Exception {
    String root = platform.apiAddress().replaceAll("/api$", "/");
    HttpResponse<Buffer> page = await(client.getAbs(root).send());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("content-type")).startsWith("text/html");
  }
}
