package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

  @TempDir Path dir;

  private static BuildPlan keeping(int train, int test) {
    return new BuildPlan("t", 64, List.of("google"), -1, -1, -1, -1, 0, train, test, false);
  }

  private FetchedSource source() throws IOException {
    Path deb = dir.resolve(SourcePackage.FASHION_MNIST.fileName());
    return new FetchedSource(
        SourcePackage.FASHION_MNIST, deb, Files.size(deb), Digests.sha256(deb), true);
  }

  private static byte[] entry(FetchedSource source, String path) throws IOException {
    return Archives.readFiles(source, path).get(path);
  }

  @Test
  @DisplayName("copies the package's gzipped IDX files byte for byte and lists the classes")
  void copiesAsShipped() throws IOException {
    TestPackages.fashionMnist(dir, 12, 5);
    FetchedSource source = source();
    Path root = dir.resolve("corpus");

    JsonObject entry = FashionMnist.write(source, root, keeping(-1, -1));

    Path out = new DemoCorpus(root).fashionMnist();
    for (String f :
        List.of(
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      assertThat(Files.readAllBytes(out.resolve(f)))
          .isEqualTo(entry(source, FashionMnist.DATA + f));
    }
    assertThat(Files.readAllLines(out.resolve("classes.txt")))
        .containsExactly(
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot");
    assertThat(entry.getBoolean("asShipped")).isTrue();
    assertThat(entry.getJsonObject("images").getMap()).isEqualTo(Map.of("train", 12, "test", 5));
    // A plan that keeps at least as many images as a split has takes the split as shipped.
    assertThat(
            FashionMnist.write(source, dir.resolve("c2"), keeping(12, 99)).getBoolean("asShipped"))
        .isTrue();
  }

  @Test
  @DisplayName("keeps the first images of each split in the same format for a small plan")
  void keepsTheFirstImages() throws IOException {
    TestPackages.fashionMnist(dir, 12, 5);
    Path root = dir.resolve("corpus");

    JsonObject entry = FashionMnist.write(source(), root, keeping(3, 2));

    Path out = new DemoCorpus(root).fashionMnist();
    try (DataInputStream images = gunzip(out.resolve("train-images-idx3-ubyte.gz"))) {
      assertThat(new int[] {images.readInt(), images.readInt(), images.readInt(), images.readInt()})
          .containsExactly(0x803, 3, 28, 28);
      byte[] pixels = images.readAllBytes();
      assertThat(pixels).hasSize(3 * 784);
      // pixel 5 of image 2 is (2 * 7 + 5) % 256 = 19
      assertThat(pixels[2 * 784 + 5]).isEqualTo((byte) 19);
    }
    try (DataInputStream labels = gunzip(out.resolve("t10k-labels-idx1-ubyte.gz"))) {
      assertThat(new int[] {labels.readInt(), labels.readInt()}).containsExactly(0x801, 2);
      assertThat(labels.readAllBytes()).containsExactly(0, 1);
    }
    assertThat(entry.getBoolean("asShipped")).isFalse();
    assertThat(entry.getJsonObject("images").getMap()).isEqualTo(Map.of("train", 3, "test", 2));
  }

  @Test
  @DisplayName("refuses a package whose README lists other classes")
  void checksTheReadme() throws IOException {
    TestPackages.fashionMnist(dir, 2, 2, TestPackages.README_TABLE.replace("Sneaker", "Trainer"));

    assertThatThrownBy(() -> FashionMnist.write(source(), dir.resolve("c"), keeping(-1, -1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(FashionMnist.README)
        .hasMessageContaining("Trainer");
  }

  @Test
  @DisplayName("refuses a label file that does not match its images, naming it")
  void checksTheLabels() throws IOException {
    Path deb = dir.resolve(SourcePackage.FASHION_MNIST.fileName());
    TestPackages.fashionMnist(dir, 4, 2);
    FetchedSource good = source();
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String f :
        List.of(
            "train-images-idx3-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      files.put(FashionMnist.DATA + f, entry(good, FashionMnist.DATA + f));
    }
    files.put(FashionMnist.README, entry(good, FashionMnist.README));
    files.put(
        FashionMnist.DATA + "train-labels-idx1-ubyte.gz",
        TestPackages.gzip(TestPackages.idxLabels(3)));
    TestPackages.deb(deb, files, Map.of());

    assertThatThrownBy(() -> FashionMnist.write(source(), dir.resolve("c"), keeping(-1, -1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("train-labels-idx1-ubyte.gz has 3 labels for 4 images");
  }

  @Test
  @DisplayName("refuses a truncated IDX file, naming it")
  void refusesTruncatedFiles() throws IOException {
    Path deb = dir.resolve(SourcePackage.FASHION_MNIST.fileName());
    TestPackages.fashionMnist(dir, 4, 2);
    FetchedSource good = source();
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String f :
        List.of(
            "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz")) {
      files.put(FashionMnist.DATA + f, entry(good, FashionMnist.DATA + f));
    }
    files.put(FashionMnist.README, entry(good, FashionMnist.README));
    byte[] whole = entry(good, FashionMnist.DATA + "train-images-idx3-ubyte.gz");
    files.put(
        FashionMnist.DATA + "train-images-idx3-ubyte.gz", Arrays.copyOf(whole, whole.length / 2));
    TestPackages.deb(deb, files, Map.of());

    assertThatThrownBy(() -> FashionMnist.write(source(), dir.resolve("c"), keeping(-1, -1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz is not a complete gzip file");
  }

  private static DataInputStream gunzip(Path file) throws IOException {
    InputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)));
    return new DataInputStream(in);
  }
}
