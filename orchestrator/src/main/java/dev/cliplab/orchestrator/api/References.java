package dev.cliplab.orchestrator.api;

import io.vertx.core.json.JsonObject;

/** The published reference numbers the API serves, labelled apart from anything measured. */
final class References {

  private static final String RESOURCE = "/dev/cliplab/orchestrator/references.json";

  private References() {}

  static JsonObject load() {
    return new JsonObject(Resources.read(RESOURCE));
  }
}
