package dev.cliplab.orchestrator;

import static dev.cliplab.orchestrator.PlatformTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code cliplab} client commands against a real platform without workers. */
class ClientCommandsTest {

  private static final String YAML =
      """
      name: cli sweep
      parameters:
        objective: [jsd, infonce]
        batch_size: {min: 16, max: 32, step: 16}
      fixed: {epochs: 1}
      """;

  private static Vertx vertx;
  private static WebClient client;
  private static String address;

  @TempDir Path folder;

  /** What one command printed and the status it exited with. */
  record Run(int status, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Platform platform =
        await(
            Platform.start(
                vertx, PlatformTestSupport.options(TestDatabase.create(), "--devices", "none")));
    client = WebClient.create(vertx);
    address = platform.apiAddress().replaceFirst("/api$", "");
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static Run cliplab(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line =
        new CommandLine(new Cliplab()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] withApi = new String[args.length + 2];
    System.arraycopy(args, 0, withApi, 0, args.length);
    withApi[args.length] = "--api";
    withApi[args.length + 1] = address;
    return new Run(line.execute(withApi), out.toString(), err.toString());
  }

  private Path file(String name, String text) throws Exception {
    return Files.writeString(folder.resolve(name), text);
  }

  private static JsonObject sweep(long id) throws Exception {
    return await(client.getAbs(address + "/api/sweeps/" + id).send()).bodyAsJsonObject();
  }

  @Test
  @DisplayName("submit sends a YAML file, prints the new sweep's id and its 2 x 2 = 4 trials")
  void submitQueuesTheSweep() throws Exception {
    Run run = cliplab("submit", file("sweep.yaml", YAML).toString());

    assertThat(run.status()).as(run.err()).isZero();
    Matcher printed = Pattern.compile("^sweep (\\d+): 4 trials queued").matcher(run.out());
    assertThat(printed.find()).as(run.out()).isTrue();
    JsonObject sweep = sweep(Long.parseLong(printed.group(1)));
    assertThat(sweep.getString("name")).isEqualTo("cli sweep");
    assertThat(sweep.getJsonArray("trials")).hasSize(4);
  }

  @Test
  @DisplayName("submit --dry-run of a JSON file prints the count and stores no sweep")
  void dryRunStoresNothing() throws Exception {
    String json =
        "{\"name\": \"cli dry\", \"parameters\": {\"seed\": {\"min\": 1, \"max\": 5, \"step\": 2}}}";
    int before =
        await(client.getAbs(address + "/api/sweeps").send())
            .bodyAsJsonObject()
            .getJsonArray("sweeps")
            .size();

    Run run = cliplab("submit", "--dry-run", file("dry.json", json).toString());

    assertThat(run.status()).as(run.err()).isZero();
    // Seeds 1, 3 and 5.
    assertThat(run.out()).contains("is valid: it would queue 3 trials (0 of them baselines)");
    assertThat(
            await(client.getAbs(address + "/api/sweeps").send())
                .bodyAsJsonObject()
                .getJsonArray("sweeps"))
        .hasSize(before);
  }

  @Test
  @DisplayName("submit of an invalid spec prints each error on its own line and exits 2")
  void invalidSpecExitsTwo() throws Exception {
    String yaml =
        """
        name: bad
        parameters:
          batch_size: {min: 16, max: 40, step: 16}
          colour: [red]
        """;

    Run run = cliplab("submit", file("bad.yml", yaml).toString());

    assertThat(run.status()).isEqualTo(2);
    List<String> lines = run.err().lines().toList();
    assertThat(lines.get(0)).startsWith("cliplab submit: invalid sweep spec (400 from POST ");
    assertThat(lines.subList(1, lines.size()))
        .singleElement()
        .asString()
        .startsWith("  parameters.colour: unknown parameter");
  }

  @Test
  @DisplayName("status lists the sweep, and status ID shows its counts and a row per trial")
  void statusShowsSweepsAndTrials() throws Exception {
    Run submitted =
        cliplab("submit", file("status.yaml", YAML.replace("cli sweep", "cli status")).toString());
    long id = Long.parseLong(submitted.out().replaceFirst("(?s)^sweep (\\d+):.*", "$1"));
    JsonArray trials = sweep(id).getJsonArray("trials");

    Run list = cliplab("status");
    Run one = cliplab("status", String.valueOf(id));

    assertThat(list.status()).isZero();
    assertThat(list.out().lines())
        .anySatisfy(l -> assertThat(l).startsWith(id + " ").contains("cli status", "active", "4"));
    assertThat(one.status()).isZero();
    List<String> lines = one.out().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("sweep " + id + " 'cli status': active, 4 trials (queued 4)");
    assertThat(lines.get(1)).startsWith("ID").contains("STATUS", "ATTEMPT", "PARAMS");
    assertThat(lines.subList(2, lines.size())).hasSize(4);
    for (int i = 0; i < 4; i++) {
      JsonObject trial = trials.getJsonObject(i);
      assertThat(lines.get(2 + i))
          .startsWith(trial.getLong("id") + " ")
          .contains("queued")
          .contains("objective=" + trial.getJsonObject("params").getString("objective"))
          .contains("batch_size=" + trial.getJsonObject("params").getInteger("batch_size"))
          .doesNotContain("epochs=");
    }
  }

  @Test
  @DisplayName("status of an unknown sweep and cancel of an unknown sweep or trial report the 404")
  void unknownIdsAreReported() {
    Run status = cliplab("status", "999999");
    Run cancelSweep = cliplab("cancel", "999999");
    Run cancelTrial = cliplab("cancel", "--trial", "999998");

    assertThat(status.status()).isEqualTo(1);
    assertThat(status.err()).startsWith("cliplab status: sweep 999999 not found (404 from GET ");
    assertThat(cancelSweep.status()).isEqualTo(1);
    assertThat(cancelSweep.err())
        .startsWith("cliplab cancel: ")
        .contains("(404 from POST " + address + "/api/sweeps/999999/cancel)");
    assertThat(cancelTrial.status()).isEqualTo(1);
    assertThat(cancelTrial.err())
        .contains("(404 from POST " + address + "/api/trials/999998/cancel)");
  }

  @Test
  @DisplayName("a command against an address where nothing listens says it cannot reach the API")
  void unreachableApiIsReported() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    StringWriter err = new StringWriter();
    int status =
        new CommandLine(new Cliplab())
            .setErr(new PrintWriter(err))
            .execute("status", "--api", "http://127.0.0.1:" + port);

    assertThat(status).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("cliplab status: cannot reach the API at http://127.0.0.1:" + port + "/api");
  }
}
