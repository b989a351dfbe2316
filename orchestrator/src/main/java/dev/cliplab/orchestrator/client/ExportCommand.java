package dev.cliplab.orchestrator.client;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Writes a sweep's trials as CSV, one row per trial. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a sweep's trials as CSV: parameters, latest metrics, evaluations.")
public final class ExportCommand extends ClientCommand {

  @Parameters(paramLabel = "SWEEP_ID", description = "The sweep to export.")
  long sweep;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here instead of standard output.")
  Path output;

  @Override
  int run(ApiClient client) throws Exception {
    ApiClient.Answer answer = client.get("/sweeps/" + sweep + "/export.csv");
    if (!answer.ok()) {
      return refused(answer, FAILED);
    }
    if (output == null) {
      out().print(answer.body());
      out().flush();
      return 0;
    }
    Files.writeString(output, answer.body());
    out().printf("sweep %d exported to %s%n", sweep, output);
    return 0;
  }
}
