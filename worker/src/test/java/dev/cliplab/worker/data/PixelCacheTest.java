package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

  @Test
  @DisplayName("names the file and the id of a truncated PNG, a truncated JPEG and a non-image")
  void namesDamagedImages() throws IOException {
    byte[] png = noise("png");
    Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length * 3 / 4));
    byte[] jpeg = noise("jpg");
    Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length * 9 / 10));
    Files.writeString(dir.resolve("text.png"), "not an image");

    for (String name : List.of("cut.png", "cut.jpg", "text.png")) {
      ImageSource source = ImageFiles.of(dir, List.of("id-" + name), List.of(name));
      assertThatThrownBy(() -> PixelCache.open(source, 2, dir.resolve(name + ".bin")))
          .as(name)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("image id-" + name)
          .hasMessageContaining(dir.resolve(name).toString());
    }
  }

  @Test
  @DisplayName("decodes the intact JPEG that the truncated one was cut from")
  void decodesIntactJpeg() throws IOException {
    Files.write(dir.resolve("whole.jpg"), noise("jpg"));

    assertThat(ImageFiles.decode(dir.resolve("whole.jpg")).getWidth()).isEqualTo(64);
  }

  @Test
  @DisplayName("caches greyscale IDX images as three equal channels, streamed from the file")
  void cachesIdxImages() throws IOException {
    // Two 2x2 images: 0, 50, 100, 150 and 200, 210, 220, 230.
    ByteBuffer idx = ByteBuffer.allocate(16 + 8);
    idx.putInt(0x0803).putInt(2).putInt(2).putInt(2);
    idx.put(new byte[] {0, 50, 100, (byte) 150, (byte) 200, (byte) 210, (byte) 220, (byte) 230});
    Path file = Files.write(dir.resolve("images-idx3-ubyte"), idx.array());
    ImageSource images = IdxFiles.images(file);

    try (PixelCache cache = PixelCache.open(images, 2, dir.resolve("idx2.bin"))) {
      byte[] hwc = new byte[12];
      cache.read(1, hwc);
      assertThat(unsigned(hwc))
          .containsExactly(200, 200, 200, 210, 210, 210, 220, 220, 220, 230, 230, 230);
    }
    try (PixelCache cache = PixelCache.open(images, 1, dir.resolve("idx1.bin"))) {
      byte[] rgb = new byte[3];
      cache.read(0, rgb);
      // (0 + 50 + 100 + 150) / 4 = 75
      assertThat(unsigned(rgb)).containsExactly(75, 75, 75);
    }
  }

  @Test
  @DisplayName("writes the header caches of captioned images always had: count, size, SHA-256")
  void keepsHeaderFormat() throws Exception {
    Path file = dir.resolve("header.bin");
    try (PixelCache cache = PixelCache.open(dir, images, 2, file)) {
      assertThat(cache.count()).isEqualTo(2);
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String name : List.of("pair.png", "grey.png")) {
      sha.update(name.getBytes(StandardCharsets.UTF_8));
      sha.update(
          ByteBuffer.allocate(9).put((byte) 0).putLong(Files.size(dir.resolve(name))).array());
    }
    ByteBuffer expected = ByteBuffer.allocate(64);
    expected.put("CLPIXEL1".getBytes(StandardCharsets.US_ASCII)).putInt(2).putInt(2);
    expected.put(sha.digest());

    assertThat(Arrays.copyOf(Files.readAllBytes(file), 64)).isEqualTo(expected.array());
  }

  // Noise compresses badly, so that a cut keeps the headers and loses only pixel data.
  private static byte[] noise(String format) throws IOException {
    BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        noise.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(noise, format, out);
    return out.toByteArray();
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
