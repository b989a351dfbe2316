package dev.cliplab.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cliplab.worker.train.TrainSpec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {

  private static final Path FIXTURE = Path.of("src/test/resources/fixture");

  @TempDir Path dir;

  @Test
  void overridesWinOverTheConfigFileAndAreTypedLikeYaml() throws IOException {
    Path config = Files.writeString(dir.resolve("run.yaml"), "batch_size: 16\nobjective: jsd\n");
    TrainCommand command =
        parse("-c", config.toString(), "--set", "objective=infonce", "--set", "augment=false");
    TrainSpec spec = command.spec();
    assertThat(spec.batchSize()).isEqualTo(16);
    assertThat(spec.objective()).isEqualTo("infonce");
    assertThat(spec.augment()).isFalse();
  }

  @Test
  void aBadParameterIsReportedWithTheFileItCameFrom() throws IOException {
    Path config = Files.writeString(dir.resolve("run.yaml"), "batch_size: many\n");
    assertThatThrownBy(() -> parse("-c", config.toString()).spec())
        .hasMessageContaining("run.yaml")
        .hasMessageContaining("batch_size");
    assertThatThrownBy(() -> parse("--set", "batch_size").spec())
        .hasMessageContaining("NAME=VALUE");
    Path good = Files.writeString(dir.resolve("good.yaml"), "batch_size: 16\n");
    assertThatThrownBy(() -> parse("-c", good.toString(), "--set", "epochs=many").spec())
        .hasMessageStartingWith("--set: ")
        .hasMessageContaining("epochs");
  }

  @Test
  void aRunOnTheFixtureLeavesMetricsEvaluationsCheckpointsAndItsOutcome() throws Exception {
    Path out = dir.resolve("run");
    int status =
        new CommandLine(new TrainCommand())
            .execute(
                "--data",
                FIXTURE.toString(),
                "-o",
                out.toString(),
                "--set",
                "batch_size=16",
                "--set",
                "epochs=1",
                "--set",
                "image_width=8",
                "--set",
                "min_word_count=1");
    assertThat(status).isZero();
    // 237 fixture images in full batches of 16 make 14 steps; metrics are written every 10 steps
    // and at the last one.
    List<String> metrics = Files.readAllLines(out.resolve(RunFiles.METRICS));
    assertThat(metrics.get(0)).isEqualTo("step,name,value");
    assertThat(metrics)
        .anyMatch(l -> l.startsWith("10,loss,"))
        .anyMatch(l -> l.startsWith("14,loss,"));
    List<String> evaluations = Files.readAllLines(out.resolve(RunFiles.EVALUATIONS));
    assertThat(evaluations).anyMatch(l -> l.startsWith("untrained,zeroshot_emoji_groups,top1,"));
    assertThat(evaluations).anyMatch(l -> l.startsWith("final,retrieval_heldout,i2t_r1,"));
    JsonObject outcome = new JsonObject(Files.readString(out.resolve(RunFiles.OUTCOME)));
    assertThat(outcome.getString("status")).isEqualTo("succeeded");
    assertThat(outcome.getLong("steps")).isEqualTo(14);
    assertThat(Files.list(out).map(p -> p.getFileName().toString()))
        .contains("clip-lite-0001.params", "spec.json", "vocabulary.txt");

    // Running it again does nothing; other parameters into the same folder are refused before
    // any of its files is touched.
    String spec = Files.readString(out.resolve("spec.json"));
    assertThat(new CommandLine(new TrainCommand()).execute(args(out, "16"))).isZero();
    assertThat(Files.readAllLines(out.resolve(RunFiles.EVALUATIONS))).isEqualTo(evaluations);
    Files.delete(out.resolve(RunFiles.OUTCOME));
    assertThat(new CommandLine(new TrainCommand()).execute(args(out, "32"))).isNotZero();
    assertThat(Files.readString(out.resolve("spec.json"))).isEqualTo(spec);
  }

  private static String[] args(Path out, String batch) {
    return new String[] {
      "--data",
      FIXTURE.toString(),
      "-o",
      out.toString(),
      "--set",
      "batch_size=" + batch,
      "--set",
      "epochs=1",
      "--set",
      "image_width=8",
      "--set",
      "min_word_count=1"
    };
  }

  @Test
  void aMissingCorpusIsAClearUsageError() {
    int status =
        new CommandLine(new TrainCommand())
            .execute("--data", dir.resolve("nothing").toString(), "-o", dir.toString());
    assertThat(status).isEqualTo(2);
  }

  private static TrainCommand parse(String... args) {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
