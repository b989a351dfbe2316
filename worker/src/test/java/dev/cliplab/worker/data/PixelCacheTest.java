package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PixelCacheTest {

  @TempDir Path dir;
  private List<CaptionedImage> images;

  // A 2x1 image: opaque red, then blue at alpha 64. On white the second pixel's red and green
  // are 255 * (255 - 64) / 255 = 191 and its blue 255. Padding to a 2x2 square adds a white row
  // below (the odd row goes to the bottom). A grey image of level 100 must stay at 100.
  @BeforeEach
  void writeImages() throws IOException {
    BufferedImage pair = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    pair.setRGB(0, 0, 0xffff0000);
    pair.setRGB(1, 0, 0x400000ff);
    ImageIO.write(pair, "png", dir.resolve("pair.png").toFile());

    BufferedImage grey = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster()
        .setSamples(0, 0, 3, 3, 0, new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100});
    ImageIO.write(grey, "png", dir.resolve("grey.png").toFile());

    images =
        List.of(
            new CaptionedImage(1, "pair.png", List.of("red and blue")),
            new CaptionedImage(2, "grey.png", List.of("grey")));
  }

  @Test
  @DisplayName("composites transparency on white and pads to a square with white")
  void compositesAndPads() throws IOException {
    try (PixelCache cache = PixelCache.open(dir, images, 2, dir.resolve("c2.bin"))) {
      byte[] hwc = new byte[12];
      cache.read(0, hwc);

      assertThat(unsigned(hwc))
          .containsExactly(255, 0, 0, 191, 191, 255, 255, 255, 255, 255, 255, 255);
      cache.read(1, hwc);
      assertThat(unsigned(hwc)).containsOnly(100);
    }
  }

  @Test
  @DisplayName("resizes by area averaging: one pixel is the mean of the padded square")
  void resizesByAreaAverage() throws IOException {
    try (PixelCache cache = PixelCache.open(dir, images, 1, dir.resolve("c1.bin"))) {
      byte[] hwc = new byte[3];
      cache.read(0, hwc);

      // (255 + 191 + 255 + 255) / 4 = 239, (0 + 191 + 255 + 255) / 4 = 175.25,
      // (0 + 255 + 255 + 255) / 4 = 191.25
      assertThat(unsigned(hwc)).containsExactly(239, 175, 191);
    }
  }

  @Test
  @DisplayName("fills a batch as channel-major planes scaled to [-1, 1], in the order asked")
  void fillsBatch() throws IOException {
    try (PixelCache cache = PixelCache.open(dir, images, 2, dir.resolve("c2.bin"))) {
      float[] out = new float[2 * 3 * 4];
      cache.fillBatch(new int[] {1, 0}, out);

      float grey = 100 / 127.5f - 1f;
      float mid = 191 / 127.5f - 1f;
      for (int i = 0; i < 12; i++) {
        assertThat(out[i]).isCloseTo(grey, within(1e-6f));
      }
      assertThat(Arrays.copyOfRange(out, 12, 24))
          .containsExactly(new float[] {1, mid, 1, 1, -1, mid, 1, 1, -1, 1, 1, 1}, within(1e-6f));
    }
  }

  @Test
  @DisplayName("rejects an output array of the wrong length")
  void rejectsWrongBatchLength() throws IOException {
    try (PixelCache cache = PixelCache.open(dir, images, 2, dir.resolve("c2.bin"))) {
      assertThatThrownBy(() -> cache.fillBatch(new int[] {0}, new float[11]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("reuses a matching cache file and rebuilds a stale one")
  void reusesCacheFile() throws IOException {
    Path file = dir.resolve("cache.bin");
    try (PixelCache first = PixelCache.open(dir, images, 2, file)) {
      assertThat(first.count()).isEqualTo(2);
    }
    Object built = fileKey(file);

    try (PixelCache again = PixelCache.open(dir, images, 2, file)) {
      assertThat(again.size()).isEqualTo(2);
    }
    assertThat(fileKey(file)).isEqualTo(built);

    try (PixelCache fewer = PixelCache.open(dir, images.subList(1, 2), 2, file)) {
      byte[] hwc = new byte[12];
      fewer.read(0, hwc);
      assertThat(unsigned(hwc)).containsOnly(100);
    }
    assertThat(Files.size(file)).isEqualTo(64 + 12);
  }

  @Test
  @DisplayName("names a missing image")
  void namesMissingImage() {
    List<CaptionedImage> missing = List.of(new CaptionedImage(9, "gone.png", List.of("gone")));

    assertThatThrownBy(() -> PixelCache.open(dir, missing, 2, dir.resolve("x.bin")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("image 9")
        .hasMessageContaining("gone.png");
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }

  private static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xff;
    }
    return out;
  }
}
