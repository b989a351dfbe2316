package dev.cliplab.orchestrator.client;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cancels a sweep (its queued and running trials with it) or one trial. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancel a sweep and its queued and running trials, or one trial with --trial.")
public final class CancelCommand extends ClientCommand {

  @ArgGroup(multiplicity = "1")
  Target target;

  /** Exactly one of a sweep id or {@code --trial ID}. */
  static final class Target {
    @Parameters(paramLabel = "SWEEP_ID", description = "The sweep to cancel.")
    Long sweep;

    @Option(names = "--trial", paramLabel = "ID", description = "Cancel only this trial.")
    Long trial;
  }

  @Override
  int run(ApiClient client) throws Exception {
    String what = target.trial != null ? "trial " + target.trial : "sweep " + target.sweep;
    String path =
        target.trial != null
            ? "/trials/" + target.trial + "/cancel"
            : "/sweeps/" + target.sweep + "/cancel";
    ApiClient.Answer answer = client.post(path, "", "application/json");
    if (!answer.ok()) {
      return refused(answer, FAILED);
    }
    out().println(what + " cancelled");
    return 0;
  }
}
