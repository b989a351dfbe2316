package dev.cliplab.orchestrator.client;

import picocli.CommandLine.Option;

/** Where the API is: {@code --api}, else {@code CLIPLAB_API}, else the local default. */
public final class ApiOptions {

  @Option(
      names = "--api",
      paramLabel = "URL",
      defaultValue = "${env:CLIPLAB_API:-http://127.0.0.1:8080}",
      description = "The platform's address (env CLIPLAB_API, default ${DEFAULT-VALUE}).")
  String api;

  /** A client of that API. */
  ApiClient client() {
    return new ApiClient(api);
  }
}
