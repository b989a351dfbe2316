package dev.cliplab.orchestrator;

import dev.cliplab.orchestrator.sweep.ParamsHash;
import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What besides its parameters makes two trials the same run: the corpus and the code version. */
final class RunIdentity {

  private RunIdentity() {}

  /**
   * Identifies the corpus by its manifest (sources, versions, checksums and counts).
   *
   * @param dataRoot the corpus folder
   * @return a hash of the manifest, or {@code none} when no corpus is built there yet
   */
  static String dataVersion(Path dataRoot) {
    Path manifest = dataRoot.resolve(DemoCorpus.MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return "none";
    }
    try {
      return ParamsHash.of(new JsonObject(Files.readString(manifest)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
  }

  /** The version in the application jar's manifest, {@code development} when run from classes. */
  static String code() {
    String version = RunIdentity.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
