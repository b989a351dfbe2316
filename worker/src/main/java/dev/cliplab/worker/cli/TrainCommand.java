package dev.cliplab.worker.cli;

import dev.cliplab.worker.config.ConfigFiles;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.train.TrainSpec;
import dev.cliplab.worker.train.TrainingOutcome;
import dev.cliplab.worker.train.TrainingRun;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains one model without the platform: trial parameters from a YAML or JSON file (and {@code
 * --set} overrides), metrics, evaluations and checkpoints into an output folder, progress on the
 * console.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train and evaluate one model from a config file, without the platform.")
public final class TrainCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Trial parameters, YAML or JSON, as in a sweep's 'fixed' (default: defaults).")
  Path config;

  @Option(
      names = "--set",
      paramLabel = "NAME=VALUE",
      description = "Override one parameter, e.g. --set batch_size=64 --set objective=infonce.")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:CLIPLAB_DATA:-data/demo}",
      description = "The corpus folder (env CLIPLAB_DATA; default: data/demo).")
  Path data;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "DIR",
      description = "Where metrics, evaluations and checkpoints go (default: runs/<date-time>).")
  Path out;

  @Override
  public Integer call() throws IOException {
    TrainSpec spec = spec();
    DemoCorpus corpus = new DemoCorpus(data);
    if (!corpus.isBuilt()) {
      System.err.println(
          "No complete corpus at "
              + data
              + ": build it with `./cliplab fetch-data --data "
              + data
              + "` or point --data at one");
      return 2;
    }
    Path dir = out != null ? out : Path.of("runs", timestamp());
    if (finished(dir)) {
      System.out.println("The run in " + dir + " has already finished; nothing to do");
      return 0;
    }
    Files.createDirectories(dir);
    System.out.println("Training into " + dir + " with " + spec.toJson().encode());
    if (Files.isDirectory(dir.resolve("checkpoints"))) {
      System.out.println("Continuing from the newest checkpoint in " + dir.resolve("checkpoints"));
    }
    TrainingOutcome outcome;
    try (RunFiles files = RunFiles.create(dir)) {
      ConsoleProgress progress = new ConsoleProgress(files, spec);
      progress.stopOnShutdown();
      try {
        outcome = TrainingRun.run(spec, corpus, dir, progress);
        files.writeOutcome(outcome);
        System.out.println("Run " + outcome.status() + ": " + outcome.message());
        System.out.println("Metrics in " + dir.resolve(RunFiles.METRICS));
      } finally {
        // Last, so that a Ctrl-C waiting in the shutdown hook lets the JVM exit only now.
        progress.finished();
      }
    }
    return TrainingOutcome.SUCCEEDED.equals(outcome.status()) ? 0 : 1;
  }

  private static boolean finished(Path dir) throws IOException {
    Path outcome = dir.resolve(RunFiles.OUTCOME);
    return Files.isRegularFile(outcome)
        && TrainingOutcome.SUCCEEDED.equals(
            new JsonObject(Files.readString(outcome)).getString("status"));
  }

  /** The spec from the config file and the overrides, or an error naming the bad input. */
  TrainSpec spec() throws IOException {
    JsonObject params = config == null ? new JsonObject() : ConfigFiles.read(config);
    if (config != null) {
      validate(params, config.toString());
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--set expects NAME=VALUE, got '" + override + "'");
      }
      String name = override.substring(0, eq).strip();
      String value = override.substring(eq + 1).strip();
      params.put(name, ConfigFiles.parse("v: " + value).getValue("v"));
    }
    return validate(params, "--set");
  }

  private static TrainSpec validate(JsonObject params, String source) {
    try {
      return TrainSpec.fromJson(params);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  private static String timestamp() {
    return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
  }
}
