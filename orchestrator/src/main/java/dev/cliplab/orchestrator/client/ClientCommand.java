package dev.cliplab.orchestrator.client;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every client command shares: the {@code --api} option, its output streams, and how a refusal
 * or an unreachable API is told (on standard error, exit status 1).
 */
abstract class ClientCommand implements Callable<Integer> {

  /** The exit status of a request the API refused or could not be sent. */
  static final int FAILED = 1;

  @Mixin ApiOptions api;
  @Spec CommandSpec spec;

  /** Runs the command against the API and returns its exit status. */
  abstract int run(ApiClient client) throws ApiClient.ApiUnreachable, Exception;

  @Override
  public final Integer call() throws Exception {
    try {
      return run(api.client());
    } catch (ApiClient.ApiUnreachable e) {
      err().println(name() + ": " + e.getMessage() + "; is `cliplab serve` running there?");
      return FAILED;
    }
  }

  /** Prints the API's refusal, then each of its errors on a line of its own; returns status. */
  int refused(ApiClient.Answer answer, int status) {
    List<String> lines = answer.errorLines();
    err().println(name() + ": " + lines.get(0));
    lines.subList(1, lines.size()).forEach(line -> err().println("  " + line));
    return status;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  private String name() {
    return "cliplab " + spec.name();
  }
}
