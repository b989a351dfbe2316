package dev.cliplab.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {

  @TempDir Path dir;

  @Test
  void yamlAndJsonOfTheSameDocumentReadTheSame() throws IOException {
    Path yaml =
        Files.writeString(
            dir.resolve("a.yaml"),
            """
        name: batch ablation   # a comment
        parameters:
          objective: [jsd, infonce]
          batch_size:
            - 16
            - 32
        fixed: {epochs: 2, learning_rate: 5.0e-4, augment: false}
        """);
    Path json =
        Files.writeString(
            dir.resolve("a.json"),
            """
        {"name": "batch ablation",
         "parameters": {"objective": ["jsd", "infonce"], "batch_size": [16, 32]},
         "fixed": {"epochs": 2, "learning_rate": 5.0e-4, "augment": false}}
        """);
    JsonObject expected =
        new JsonObject()
            .put("name", "batch ablation")
            .put(
                "parameters",
                new JsonObject()
                    .put("objective", new JsonArray().add("jsd").add("infonce"))
                    .put("batch_size", new JsonArray().add(16).add(32)))
            .put(
                "fixed",
                new JsonObject().put("epochs", 2).put("learning_rate", 5e-4).put("augment", false));
    assertThat(ConfigFiles.read(yaml)).isEqualTo(expected);
    assertThat(ConfigFiles.read(json)).isEqualTo(expected);
  }

  @Test
  void aKeyGivenTwiceIsAnErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("twice.yaml"), "epochs: 2\nseed: 1\nepochs: 3\n");
    assertThatThrownBy(() -> ConfigFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("twice.yaml")
        .hasMessageContaining("epochs");
    assertThatThrownBy(() -> ConfigFiles.parse("{\"a\": 1, \"a\": 2}")).hasMessageContaining("a");
  }

  @Test
  void aDocumentThatIsNotAMappingIsRefused() {
    assertThatThrownBy(() -> ConfigFiles.parse("- 1\n- 2\n")).hasMessageContaining("a list");
    assertThatThrownBy(() -> ConfigFiles.parse("")).hasMessageContaining("empty document");
  }

  @Test
  void aNonStringKeyIsRefusedWithItsPath() {
    assertThatThrownBy(() -> ConfigFiles.parse("fixed:\n  1: x\n"))
        .hasMessageContaining("key 1 at fixed");
  }

  @Test
  void aSyntaxErrorSaysWhere() {
    assertThatThrownBy(() -> ConfigFiles.parse("a: [1, 2\nb: 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line");
  }

  @Test
  void invalidUtf8IsAnErrorNamingTheFile() throws IOException {
    Path file = Files.write(dir.resolve("bad.yaml"), new byte[] {'a', ':', ' ', (byte) 0xc3, 'x'});
    assertThatThrownBy(() -> ConfigFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad.yaml")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void specialFloatsAndLargeIntegersAreKept() {
    JsonObject json = ConfigFiles.parse("a: .nan\nb: -.inf\nc: 12345678901\n");
    assertThat(json.getDouble("a")).isNaN();
    assertThat(json.getDouble("b")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(json.getLong("c")).isEqualTo(12_345_678_901L);
  }
}
