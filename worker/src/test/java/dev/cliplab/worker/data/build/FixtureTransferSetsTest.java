package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.worker.data.ClassificationSet;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.IdxFiles;
import dev.cliplab.worker.data.VocImageSets;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reads the committed fixture's transfer sets with the dataset readers that evaluations use. */
class FixtureTransferSetsTest {

  private static final DemoCorpus FIXTURE = new DemoCorpus(Path.of("src/test/resources/fixture"));

  private static JsonObject transfer(String name) throws IOException {
    return DemoCorpus.readJson(FIXTURE.manifest()).getJsonObject("transfer").getJsonObject(name);
  }

  @Test
  @DisplayName("the VOC-style set reads as its manifest says, every class on both sides")
  void vocEmojiReads() throws IOException {
    JsonObject entry = transfer(Transfers.VOC_EMOJI);

    for (String split : List.of("trainval", "test")) {
      ClassificationSet set = VocImageSets.read(FIXTURE.vocEmoji(), split);
      assertThat(set.size()).isEqualTo(entry.getJsonObject("images").getInteger(split));
      assertThat(set.classes()).isEqualTo(entry.getJsonArray("classes").getList());
      for (int c = 0; c < set.classes().size(); c++) {
        int positives = 0;
        for (int i = 0; i < set.size(); i++) {
          positives += set.label(i, c) == ClassificationSet.PRESENT ? 1 : 0;
        }
        assertThat(positives)
            .as(set.classes().get(c) + " in " + split)
            .isPositive()
            .isEqualTo(
                entry
                    .getJsonObject("positives")
                    .getJsonObject(set.classes().get(c))
                    .getInteger(split));
      }
    }
  }

  @Test
  @DisplayName("Fashion-MNIST reads as the first images of the real splits, in label order")
  void fashionMnistReads() throws IOException {
    ClassificationSet train = IdxFiles.readSplit(FIXTURE.fashionMnist(), "train");
    ClassificationSet test = IdxFiles.readSplit(FIXTURE.fashionMnist(), "t10k");

    assertThat(train.size()).isEqualTo(100);
    assertThat(test.size()).isEqualTo(50);
    assertThat(train.classes()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    // The first labels of the package's own files, read with Python's gzip module.
    int[] firstTrain = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
    int[] firstTest = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
    for (int i = 0; i < 10; i++) {
      assertThat(train.label(i)).isEqualTo(firstTrain[i]);
      assertThat(test.label(i)).isEqualTo(firstTest[i]);
    }
  }
}
