package dev.cliplab.orchestrator.client;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Submits a sweep spec file, or with {@code --dry-run} only validates it. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submit a sweep spec (YAML or JSON, by the file's extension) to the API.")
public final class SubmitCommand extends ClientCommand {

  /** The exit status of a spec the API refused as invalid. */
  static final int INVALID = 2;

  @Parameters(paramLabel = "FILE", description = "The spec: .yaml, .yml or .json.")
  Path file;

  @Option(names = "--dry-run", description = "Validate and count the trials; store nothing.")
  boolean dryRun;

  @Override
  int run(ApiClient client) throws Exception {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      err().println("cliplab submit: " + file + ": no such file");
      return FAILED;
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String type = name.endsWith(".json") ? "application/json" : "application/yaml";
    ApiClient.Answer answer = client.post("/sweeps" + (dryRun ? "?dry_run=true" : ""), text, type);
    if (!answer.ok()) {
      return refused(answer, answer.status() == 400 ? INVALID : FAILED);
    }
    JsonObject body = answer.json();
    if (dryRun) {
      out()
          .printf(
              "%s is valid: it would queue %d trials (%d of them baselines)%n",
              file, body.getInteger("trials"), body.getInteger("baselines"));
    } else {
      out()
          .printf(
              "sweep %d: %d trials queued (%d of them baselines)%n%s%n",
              body.getLong("id"),
              body.getInteger("trials"),
              body.getInteger("baselines_queued", 0),
              client.url("/sweeps/" + body.getLong("id")));
    }
    return 0;
  }
}
