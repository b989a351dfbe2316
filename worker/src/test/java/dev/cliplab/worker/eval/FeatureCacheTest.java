package dev.cliplab.worker.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

  private static final ImageFeatures FEATURES =
      new ImageFeatures(
          FeatureMatrix.of(new float[][] {{1, 2, 3}, {4, 5, 6}}),
          FeatureMatrix.of(new float[][] {{0.6f, 0.8f}, {-1, 0}}));

  private static FeatureCache.Key key(int weights, int images, int size) {
    byte[] w = new byte[32];
    byte[] i = new byte[32];
    Arrays.fill(w, (byte) weights);
    Arrays.fill(i, (byte) images);
    return new FeatureCache.Key(w, i, size, 2);
  }

  @Test
  @DisplayName("features read back exactly under the key they were written with")
  void roundTrip(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("sub/a-set-32px.f32");
    FeatureCache.write(file, key(1, 2, 32), FEATURES);
    ImageFeatures read = FeatureCache.read(file, key(1, 2, 32)).orElseThrow();
    assertThat(read.backbone().data()).containsExactly(FEATURES.backbone().data());
    assertThat(read.embeddings().data()).containsExactly(FEATURES.embeddings().data());
    assertThat(read.backbone().dim()).isEqualTo(3);
    assertThat(read.embeddings().dim()).isEqualTo(2);
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  @DisplayName("other weights, other images or another size never reuse a file")
  void otherKeys(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a-set-32px.f32");
    FeatureCache.write(file, key(1, 2, 32), FEATURES);
    assertThat(FeatureCache.read(file, key(9, 2, 32))).isEmpty();
    assertThat(FeatureCache.read(file, key(1, 9, 32))).isEmpty();
    assertThat(FeatureCache.read(file, key(1, 2, 64))).isEmpty();
    assertThat(FeatureCache.read(dir.resolve("missing.f32"), key(1, 2, 32))).isEmpty();
  }

  @Test
  @DisplayName("a truncated file is treated as absent")
  void truncated(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a-set-32px.f32");
    FeatureCache.write(file, key(1, 2, 32), FEATURES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(file) - 4);
    }
    assertThat(FeatureCache.read(file, key(1, 2, 32))).isEmpty();
  }
}
