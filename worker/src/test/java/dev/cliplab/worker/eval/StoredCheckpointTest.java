package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.ImageFiles;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.train.TrainingRun;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredCheckpointTest {

  @TempDir static Path scratch;

  private static Path trial;

  @BeforeAll
  static void save() throws IOException {
    trial = scratch.resolve("trial");
    TransferFixture.saveCheckpoint(trial, 1, 1);
    TransferFixture.saveCheckpoint(trial, 3, 3);
  }

  @Test
  @DisplayName("without an epoch the latest checkpoint loads, named after its file")
  void latest() throws IOException {
    assertThat(StoredCheckpoint.epochs(trial)).containsOnlyKeys(1, 3);
    try (StoredCheckpoint checkpoint =
        StoredCheckpoint.open(trial, OptionalInt.empty(), TransferFixture.FACTORY)) {
      assertThat(checkpoint.epoch()).isEqualTo(3);
      EvalModel model = checkpoint.model();
      assertThat(model.checkpointId()).isEqualTo("clip-lite-0003");
      assertThat(model.featureDir()).hasValue(trial.resolve("features"));
      assertThat(model.imageSize()).isEqualTo(TransferFixture.SPEC.imageSize());
      assertThat(model.maxTokens()).isEqualTo(TransferFixture.SPEC.maxTokens());
    }
  }

  @Test
  @DisplayName("a missing epoch or a folder without checkpoints is an error naming the file")
  void missing(@TempDir Path empty) throws IOException {
    assertThatThrownBy(
            () -> StoredCheckpoint.open(trial, OptionalInt.of(2), TransferFixture.FACTORY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("clip-lite-0002.params: no such checkpoint");
    Files.copy(trial.resolve(TrainingRun.SPEC_FILE), empty.resolve(TrainingRun.SPEC_FILE));
    Files.copy(
        trial.resolve(TrainingRun.VOCABULARY_FILE), empty.resolve(TrainingRun.VOCABULARY_FILE));
    assertThatThrownBy(
            () -> StoredCheckpoint.open(empty, OptionalInt.empty(), TransferFixture.FACTORY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("holds no clip-lite-NNNN.params");
  }

  @Test
  @DisplayName("parameters that do not fit the spec are an error naming the checkpoint")
  void specMismatch(@TempDir Path other) throws IOException {
    for (String name : List.of(TrainingRun.VOCABULARY_FILE, "clip-lite-0001.params")) {
      Files.copy(trial.resolve(name), other.resolve(name));
    }
    JsonObject wider = TransferFixture.SPEC.toJson().put("embed_dim", 24);
    Files.writeString(other.resolve(TrainingRun.SPEC_FILE), wider.encode());
    assertThatThrownBy(
            () -> StoredCheckpoint.open(other, OptionalInt.of(1), TransferFixture.FACTORY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("clip-lite-0001.params: does not fit spec.json");
  }

  @Test
  @DisplayName("one encoder pass gives the encoder's features and the image tower's embeddings")
  void embedderMatchesTheTowers() throws IOException {
    DemoCorpus fixture = new DemoCorpus(TransferFixture.FIXTURE);
    List<CaptionedImage> images = CocoCaptions.read(fixture.heldoutAnnotations()).subList(0, 5);
    Path cacheFile = scratch.resolve("pixels/five.pixels");
    try (StoredCheckpoint checkpoint =
            StoredCheckpoint.open(trial, OptionalInt.of(1), TransferFixture.FACTORY);
        PixelCache pixels =
            PixelCache.open(ImageFiles.of(fixture.heldoutImages(), images), 16, cacheFile);
        NDManager manager = NDManager.newBaseManager()) {
      EvalModel model = checkpoint.model();
      Embedder embedder = new Embedder(model.network(), model.vocabulary(), model.maxTokens(), 2);
      ImageFeatures features = embedder.images(manager, pixels);

      float[] batch = new float[5 * 3 * 16 * 16];
      pixels.fillBatch(new int[] {0, 1, 2, 3, 4}, batch);
      NDList input = new NDList(manager.create(batch, new Shape(5, 3, 16, 16)));
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray pooled = model.network().imageEncoder().forward(ps, input, false).head();
      NDArray embedded = model.network().imageTower().forward(ps, input, false).head();
      assertThat(features.backbone().data()).containsExactly(pooled.toFloatArray(), within());
      assertThat(features.embeddings().data()).containsExactly(embedded.toFloatArray(), within());
    }
  }

  private static Offset<Float> within() {
    return Offset.offset(1e-5f);
  }
}
