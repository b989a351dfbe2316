package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureTest {

  private static DemoCorpus fixture;
  private static JsonObject manifest;

  @BeforeAll
  static void locate() throws URISyntaxException, IOException {
    Path m = Path.of(FixtureTest.class.getResource("/fixture/manifest.json").toURI());
    fixture = new DemoCorpus(m.getParent());
    manifest = DemoCorpus.readJson(m);
  }

  @Test
  @DisplayName("is a complete build")
  void isBuilt() {
    assertThat(fixture.isBuilt()).isTrue();
    assertThat(manifest.getBoolean("complete")).isTrue();
  }

  @Test
  @DisplayName("has the image and caption counts its manifest records, per split")
  void countsMatchManifest() throws IOException {
    JsonObject splits = manifest.getJsonObject("splits");
    assertCounts(CocoCaptions.read(fixture.trainAnnotations()), splits.getJsonObject("train"));
    assertCounts(CocoCaptions.read(fixture.valAnnotations()), splits.getJsonObject("val"));
    assertCounts(CocoCaptions.read(fixture.heldoutAnnotations()), splits.getJsonObject("heldout"));
    assertThat(CocoCaptions.read(fixture.trainAnnotations())).hasSizeBetween(200, 300);
    assertThat(CocoCaptions.read(fixture.valAnnotations())).hasSizeBetween(10, 40);
    assertThat(CocoCaptions.read(fixture.heldoutAnnotations())).hasSizeBetween(90, 150);
  }

  @Test
  @DisplayName("references only images that exist, at most 64 px on the long side")
  void everyImageExists() throws IOException {
    for (Path dir : List.of(fixture.trainImages(), fixture.heldoutImages())) {
      Path annotations = dir.equals(fixture.heldoutImages()) ? fixture.heldoutAnnotations() : null;
      List<CaptionedImage> images =
          annotations != null
              ? CocoCaptions.read(annotations)
              : concat(
                  CocoCaptions.read(fixture.trainAnnotations()),
                  CocoCaptions.read(fixture.valAnnotations()));
      for (CaptionedImage image : images) {
        Path file = dir.resolve(image.fileName());
        assertThat(file).isRegularFile();
        int[] size = pngSize(file);
        assertThat(Math.max(size[0], size[1])).isLessThanOrEqualTo(64);
      }
    }
  }

  @Test
  @DisplayName("keeps the held-out style and unlicensed styles out of pretraining")
  void separatesStyles() throws IOException {
    List<CaptionedImage> pretrain =
        concat(
            CocoCaptions.read(fixture.trainAnnotations()),
            CocoCaptions.read(fixture.valAnnotations()));
    assertThat(pretrain)
        .extracting(CaptionedImage::fileName)
        .allMatch(
            f ->
                f.startsWith("emoji-google-")
                    || f.startsWith("openclipart-")
                    || f.startsWith("tuxpaint-"));
    assertThat(CocoCaptions.read(fixture.heldoutAnnotations()))
        .extracting(CaptionedImage::fileName)
        .allMatch(f -> f.startsWith("emoji-twitter-"));
  }

  @Test
  @DisplayName("uses each image id once across the splits")
  void uniqueIds() throws IOException {
    Set<Long> ids = new HashSet<>();
    int n = 0;
    for (Path a :
        List.of(
            fixture.trainAnnotations(), fixture.valAnnotations(), fixture.heldoutAnnotations())) {
      for (CaptionedImage image : CocoCaptions.read(a)) {
        ids.add(image.id());
        n++;
      }
    }
    assertThat(ids).hasSize(n);
  }

  @Test
  @DisplayName("labels the same number of held-out images in every emoji group")
  void balancedZeroShotTask() throws IOException {
    ZeroShotTask task = fixture.emojiGroups();
    Set<Long> heldout =
        CocoCaptions.read(fixture.heldoutAnnotations()).stream()
            .map(CaptionedImage::id)
            .collect(Collectors.toSet());
    Map<Integer, Long> perClass =
        task.labelByImageId().values().stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    JsonObject groups = manifest.getJsonObject("emojiGroups");

    assertThat(task.name()).isEqualTo("emoji-groups");
    assertThat(task.classNames())
        .hasSize(groups.getInteger("classes"))
        .contains("smiley & emotion");
    assertThat(perClass).hasSize(task.classNames().size());
    assertThat(perClass.values()).containsOnly((long) groups.getInteger("perClass"));
    assertThat(heldout).containsAll(task.labelByImageId().keySet());
  }

  @Test
  @DisplayName("names every source and its licence in LICENSES.md")
  void licencesNamed() throws IOException {
    String licences = Files.readString(fixture.root().resolve("LICENSES.md"));
    for (Object o : manifest.getJsonArray("sources")) {
      JsonObject s = (JsonObject) o;
      assertThat(licences).contains(s.getString("package")).contains(s.getString("version"));
    }
    assertThat(licences).contains("CC-BY 4.0").contains("Apache-2.0").contains("public domain");
  }

  @Test
  @DisplayName("decodes into a pixel cache the trainer can read")
  void cachesPixels(@TempDir Path dir) throws IOException {
    List<CaptionedImage> train = CocoCaptions.read(fixture.trainAnnotations());
    try (PixelCache cache =
        PixelCache.open(fixture.trainImages(), train, 16, dir.resolve("c.bin"))) {
      float[] out = new float[2 * 3 * 16 * 16];
      cache.fillBatch(new int[] {0, train.size() - 1}, out);

      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
      for (float v : out) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      assertThat(cache.count()).isEqualTo(train.size());
      assertThat(min).isGreaterThanOrEqualTo(-1f).isLessThan(max);
      assertThat(max).isLessThanOrEqualTo(1f);
    }
  }

  private static void assertCounts(List<CaptionedImage> images, JsonObject expected) {
    assertThat(images).hasSize(expected.getInteger("images"));
    assertThat(images.stream().mapToInt(i -> i.captions().size()).sum())
        .isEqualTo(expected.getInteger("captions"));
  }

  private static List<CaptionedImage> concat(List<CaptionedImage> a, List<CaptionedImage> b) {
    List<CaptionedImage> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static int[] pngSize(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      try {
        reader.setInput(in);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    }
  }
}
