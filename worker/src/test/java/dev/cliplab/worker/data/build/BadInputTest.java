package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds npm-only corpora from small emoji packages with one flaw each, and checks that every flaw
 * either stops the build with a message naming the file and the id, or is counted by reason.
 */
class BadInputTest {

  private static final String DATA =
      "[{'label':'grinning face','hexcode':'1F600','tags':['face'],'group':0},"
          + "{'label':'dog face','hexcode':'1F436','tags':['dog'],'group':3},"
          + "{'label':'cat face','hexcode':'1F431','tags':['cat'],'group':3},"
          + "{'label':'  ','hexcode':'1F42D','tags':['mouse'],'group':3},"
          + "{'label':'hamster','hexcode':'1F439','tags':['pet',' '],'group':3}]";
  private static final List<String> HEXCODES = List.of("1F600", "1F436", "1F431", "1F42D", "1F439");

  @TempDir Path dir;
  private Path downloads;

  @BeforeEach
  void createDownloads() throws IOException {
    downloads = Files.createDirectories(dir.resolve("downloads"));
  }

  private void emojibase(byte[] data) throws IOException {
    TestPackages.npm(
        downloads.resolve(SourcePackage.EMOJIBASE.fileName()),
        Map.of(
            "package.json", json("{'license':'MIT'}"),
            "en/data.json", data,
            "en/messages.json",
                json(
                    "{'groups':[{'key':'smileys-emotion','message':'smileys','order':0},"
                        + "{'key':'animals-nature','message':'animals','order':3}]}")));
  }

  private void vendor(String vendor, List<String> listed, Map<String, byte[]> images)
      throws IOException {
    StringBuilder catalog = new StringBuilder("[");
    for (int i = 0; i < listed.size(); i++) {
      catalog
          .append(i == 0 ? "" : ",")
          .append(
              ("{'unified':'%s','image':'%s.png','name':'E%d','sort_order':%d,"
                      + "'has_img_google':true,'has_img_twitter':true}")
                  .formatted(listed.get(i), listed.get(i).toLowerCase(), i, i));
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package.json", json("{'license':'MIT'}"));
    files.put("emoji.json", json(catalog + "]"));
    images.forEach((hex, png) -> files.put("img/" + vendor + "/64/" + hex + ".png", png));
    TestPackages.npm(downloads.resolve(SourcePackage.emojiVendor(vendor).fileName()), files);
  }

  private Map<String, byte[]> goodImages() throws IOException {
    Map<String, byte[]> images = new LinkedHashMap<>();
    for (String hex : HEXCODES) {
      images.put(hex.toLowerCase(), TestPackages.png(16, 16, 0xff112233));
    }
    return images;
  }

  private BuildSummary build() throws IOException {
    return CorpusBuilder.build(
        BuildPlan.fixture(), dir.resolve("corpus"), TestPackages.options(downloads, true), quiet());
  }

  @Test
  @DisplayName("counts missing, truncated and non-image files, blank labels and blank tags")
  void countsSkippedInput() throws IOException {
    emojibase(json(DATA));
    Map<String, byte[]> google = goodImages();
    byte[] png = google.get("1f600");
    google.put("1f600", Arrays.copyOf(png, png.length / 2));
    google.remove("1f436");
    google.put("1f439", "not a picture".getBytes(StandardCharsets.UTF_8));
    vendor("google", HEXCODES, google);
    vendor("twitter", HEXCODES, goodImages());

    BuildSummary summary = build();

    DemoCorpus corpus = new DemoCorpus(dir.resolve("corpus"));
    assertThat(CocoCaptions.read(corpus.trainAnnotations()))
        .extracting(CaptionedImage::fileName)
        .containsExactly("emoji-google-1f431.png");
    assertThat(CocoCaptions.read(corpus.heldoutAnnotations()))
        .extracting(CaptionedImage::fileName)
        .containsExactly(
            "emoji-twitter-1f600.png",
            "emoji-twitter-1f436.png",
            "emoji-twitter-1f431.png",
            "emoji-twitter-1f439.png");
    assertThat(summary.skipped())
        .containsEntry("image that does not decode (truncated, or not an image)", 2L)
        .containsEntry("image missing from its package", 1L)
        .containsEntry("emoji whose emojibase label is blank", 1L)
        .containsEntry("blank emojibase keyword tag (the tag, not the emoji, left out)", 1L);
  }

  @Test
  @DisplayName("stops at an emoji that emoji.json lists twice, naming the file and the id")
  void refusesDuplicateEmoji() throws IOException {
    emojibase(json(DATA));
    vendor("google", HEXCODES, goodImages());
    vendor("twitter", List.of("1F600", "1F436", "1F600"), goodImages());

    assertThatThrownBy(this::build)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("emoji-datasource-twitter-16.0.0.tgz: emoji.json")
        .hasMessageContaining("lists emoji 1F600 twice");
  }

  @Test
  @DisplayName("stops at a label that emojibase lists twice, naming the file and the id")
  void refusesDuplicateLabels() throws IOException {
    emojibase(json(DATA.replace("'1F431'", "'1F436'")));
    vendor("google", HEXCODES, goodImages());
    vendor("twitter", HEXCODES, goodImages());

    assertThatThrownBy(this::build)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("emojibase-data-17.0.0.tgz: en/data.json lists emoji 1F436 twice");
  }

  @Test
  @DisplayName("stops at metadata that is not valid UTF-8, naming the file")
  void refusesInvalidUtf8() throws IOException {
    byte[] data = json(DATA.replace("cat face", "cat \u00e9face"));
    for (int i = 0; i < data.length - 1; i++) {
      if ((data[i] & 0xff) == 0xc3 && (data[i + 1] & 0xff) == 0xa9) {
        data[i + 1] = '('; // a lead byte followed by an ASCII byte is malformed UTF-8
      }
    }
    emojibase(data);
    vendor("google", HEXCODES, goodImages());
    vendor("twitter", HEXCODES, goodImages());

    assertThatThrownBy(this::build)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("emojibase-data-17.0.0.tgz: en/data.json is not valid UTF-8 JSON");
  }

  private static byte[] json(String text) {
    return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }
}
