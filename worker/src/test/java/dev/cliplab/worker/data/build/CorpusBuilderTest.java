package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.ZeroShotTask;
import dev.cliplab.worker.data.build.BuildSummary.Counts;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the fixture plan from tiny packages laid out like the real ones, placed in the downloads
 * folder so that nothing is fetched: three emoji (one only in the training style), one component
 * and one ungrouped emoji, two drawings of which one has no usable caption, two stamps with a PNG
 * and one with only an SVG, and Fashion-MNIST with six training and four test images.
 */
class CorpusBuilderTest {

  @TempDir Path dir;
  private Path downloads;
  private final boolean apt = Fetcher.aptAvailable();

  @BeforeEach
  void writePackages() throws IOException {
    downloads = Files.createDirectories(dir.resolve("downloads"));
    TestPackages.npm(
        downloads.resolve(SourcePackage.EMOJIBASE.fileName()),
        Map.of(
            "package.json", bytes("{'license':'MIT'}"),
            "en/data.json",
                bytes(
                    "[{'label':'grinning face','hexcode':'1F600','tags':['face','grin'],'group':0},"
                        + "{'label':'dog face','hexcode':'1F436','tags':['dog','pet'],'group':3},"
                        + "{'label':'cat face','hexcode':'1F431','tags':['cat'],'group':3},"
                        + "{'label':'light skin tone','hexcode':'1F3FB','tags':['skin'],'group':2},"
                        + "{'label':'regional indicator A','hexcode':'1F1E6'}]"),
            "en/messages.json",
                bytes(
                    "{'groups':[{'key':'smileys-emotion','message':'smileys & emotion','order':0},"
                        + "{'key':'component','message':'components','order':2},"
                        + "{'key':'animals-nature','message':'animals & nature','order':3}]}")));
    vendor("google");
    vendor("twitter");
    clipart();
    byte[] green = TestPackages.png(50, 100, 0xff00aa00);
    Map<String, byte[]> stamps = new LinkedHashMap<>();
    stamps.put("animals/amphibians/frog.png", green);
    stamps.put(
        "animals/amphibians/frog.txt", TestPackages.utf8("A frog.\nfr.utf8=Une grenouille."));
    stamps.put("food/00_fruit/kiwi.png", green);
    stamps.put("food/00_fruit/kiwi.txt", TestPackages.utf8("A kiwifruit."));
    stamps.put("vehicles/bus.svg", TestPackages.utf8("<svg/>"));
    stamps.put("vehicles/bus.txt", TestPackages.utf8("A bus."));
    TestPackages.stamps(downloads, stamps);
    TestPackages.fashionMnist(downloads, 6, 4);
  }

  private BuildSummary build(Path root) throws IOException {
    return CorpusBuilder.build(BuildPlan.fixture(), root, TestPackages.options(downloads), quiet());
  }

  // Like the real packages, every vendor's emoji.json carries every vendor's flags.
  private void vendor(String vendor) throws IOException {
    String catalog =
        "["
            + emoji("1F600", "GRINNING FACE", 1, true)
            + ","
            + emoji("1F436", "DOG FACE", 2, true)
            + ","
            + emoji("1F431", "CAT FACE", 3, false)
            + ","
            + emoji("1F3FB", "SKIN TONE", 4, true)
            + ","
            + emoji("1F1E6", "LETTER A", 5, true)
            + "]";
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package.json", bytes("{'license':'MIT'}"));
    files.put("emoji.json", bytes(catalog));
    files.put("img/" + vendor + "/64/1f600.png", TestPackages.png(64, 64, 0xffffcc00));
    files.put("img/" + vendor + "/64/1f436.png", TestPackages.png(128, 64, 0x80000000));
    files.put("img/" + vendor + "/64/1f431.png", TestPackages.png(64, 64, 0xff000000));
    files.put("img/" + vendor + "/64/1f3fb.png", TestPackages.png(64, 64, 0xff000000));
    files.put("img/" + vendor + "/64/1f1e6.png", TestPackages.png(64, 64, 0xff000000));
    TestPackages.npm(downloads.resolve(SourcePackage.emojiVendor(vendor).fileName()), files);
  }

  private static String emoji(String hex, String name, int order, boolean twitter) {
    return ("{'unified':'%s','non_qualified':null,'image':'%s.png','name':'%s','sort_order':%d,"
            + "'has_img_google':true,'has_img_twitter':%s}")
        .formatted(hex, hex.toLowerCase(), name, order, twitter);
  }

  private void clipart() throws IOException {
    String doc = "usr/share/doc/openclipart-%s/copyright";
    String dedication = "Copyright: creative commons Public Domain Dedication";
    TestPackages.deb(
        downloads.resolve(SourcePackage.CLIPART_PNG.fileName()),
        Map.of(
            doc.formatted("png"),
            bytes(dedication),
            "usr/share/openclipart/png/animals/cow.png",
            TestPackages.png(300, 150, 0xff336699),
            "usr/share/openclipart/png/animals/blank.png",
            TestPackages.png(10, 10, 0xff000000)),
        Map.of("usr/share/openclipart/png/barn/cow.png", "../animals/cow.png"));
    TestPackages.deb(
        downloads.resolve(SourcePackage.CLIPART_SVG.fileName()),
        Map.of(
            doc.formatted("svg"),
            bytes(dedication),
            "usr/share/openclipart/svg/animals/cow.svg",
            svg("Cow", "animal"),
            "usr/share/openclipart/svg/animals/blank.svg",
            svg("", "")),
        Map.of());
  }

  private static byte[] svg(String title, String keyword) {
    return bytes(
        "<svg xmlns='http://www.w3.org/2000/svg'><metadata><rdf:RDF"
            + " xmlns:cc='http://web.resource.org/cc/' xmlns:dc='http://purl.org/dc/elements/1.1/'"
            + " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><cc:Work><dc:title>"
            + title
            + "</dc:title><dc:subject><rdf:Bag><rdf:li>"
            + keyword
            + "</rdf:li></rdf:Bag></dc:subject></cc:Work></rdf:RDF></metadata></svg>");
  }

  private static byte[] bytes(String json) {
    return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("builds the splits, captions and balanced groups from the packages")
  void buildsFixtureLayout() throws IOException {
    Path root = dir.resolve("fixture");
    BuildSummary summary = build(root);
    DemoCorpus corpus = new DemoCorpus(root);

    List<CaptionedImage> train = CocoCaptions.read(corpus.trainAnnotations());
    assertThat(train)
        .extracting(CaptionedImage::fileName)
        .containsExactlyElementsOf(
            apt
                ? List.of(
                    "emoji-google-1f600.png",
                    "emoji-google-1f436.png",
                    "emoji-google-1f431.png",
                    "openclipart-animals-cow.png",
                    "tuxpaint-animals-amphibians-frog.png",
                    "tuxpaint-food-00_fruit-kiwi.png")
                : List.of(
                    "emoji-google-1f600.png", "emoji-google-1f436.png", "emoji-google-1f431.png"));
    assertThat(train.get(0).captions())
        .containsExactly("grinning face", "an emoji of a grinning face", "face, grin");
    assertThat(CocoCaptions.read(corpus.valAnnotations())).isEmpty();
    assertThat(CocoCaptions.read(corpus.heldoutAnnotations()))
        .extracting(CaptionedImage::fileName)
        .containsExactly("emoji-twitter-1f600.png", "emoji-twitter-1f436.png");
    assertThat(corpus.isBuilt()).isTrue();
    assertThat(summary.splits().get("train").captions()).isEqualTo(apt ? 15 : 9);
    assertThat(summary.skipped())
        .containsEntry("emoji in the component group", 1L)
        .containsEntry("emoji without an emojibase label or group", 1L)
        .containsEntry("emoji without an image in the twitter style", 1L);
    if (apt) {
      assertThat(train.get(3).captions()).containsExactly("Cow", "animal");
      assertThat(train.get(4).captions()).containsExactly("A frog.", "animals, amphibians");
      assertThat(train.get(5).captions()).containsExactly("A kiwifruit.", "food, fruit");
      assertThat(summary.skipped())
          .containsEntry("clip art without a usable caption", 1L)
          .containsEntry(StampCatalog.SVG_ONLY, 1L);
    }
  }

  @Test
  @DisplayName("counts each source's images and captions per split, and copies Fashion-MNIST")
  void countsPerSourceAndSplit() throws IOException {
    assumeTrue(apt, "the Debian packages are skipped where apt is missing");
    Path root = dir.resolve("fixture");

    BuildSummary summary = build(root);

    // google: grin, dog and cat with three captions each; twitter: grin and dog, held out.
    assertThat(summary.sources().get("emoji-datasource-google@16.0.0"))
        .containsExactly(Map.entry("train", new Counts(3, 9)));
    assertThat(summary.sources().get("emoji-datasource-twitter@16.0.0"))
        .containsExactly(Map.entry("heldout", new Counts(2, 6)));
    assertThat(summary.sources().get("emojibase-data@17.0.0"))
        .containsExactly(
            Map.entry("train", new Counts(0, 9)), Map.entry("heldout", new Counts(0, 6)));
    assertThat(summary.sources().get("tuxpaint-stamps-default@2022.06.04-1"))
        .containsExactly(Map.entry("train", new Counts(2, 4)));
    assertThat(summary.sources().get("dataset-fashion-mnist@0.0~git20200523.55506a9-1"))
        .containsExactly(Map.entry("fashion-mnist", new Counts(10, 0)));
    assertThat(summary.transfer()).containsKey("fashion-mnist");
    // Two held-out emoji cannot give a class four positives.
    assertThat(summary.skippedTransfer()).containsKey("voc-emoji");
    Path fashion = new DemoCorpus(root).fashionMnist();
    assertThat(Files.readAllLines(fashion.resolve("classes.txt")))
        .hasSize(10)
        .endsWith("Ankle boot");
    assertThat(fashion.resolve("t10k-labels-idx1-ubyte.gz")).isRegularFile();
    JsonObject manifest = DemoCorpus.readJson(new DemoCorpus(root).manifest());
    assertThat(manifest.getJsonArray("sources").getJsonObject(0).getString("sha256"))
        .isEqualTo(Digests.sha256(downloads.resolve(SourcePackage.EMOJIBASE.fileName())));
  }

  @Test
  @DisplayName("builds from the npm packages alone when asked, and says what it left out")
  void npmOnly() throws IOException {
    Path root = dir.resolve("npm");
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    BuildSummary summary =
        CorpusBuilder.build(
            BuildPlan.fixture(),
            root,
            TestPackages.options(downloads, true),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    String why = " (only the npm sources were asked for)";
    assertThat(summary.skippedSources())
        .containsExactly(
            "openclipart-png=1:0.18+dfsg-19" + why,
            "openclipart-svg=1:0.18+dfsg-19" + why,
            "tuxpaint-stamps-default=2022.06.04-1" + why,
            "dataset-fashion-mnist=0.0~git20200523.55506a9-1" + why);
    assertThat(summary.skippedTransfer())
        .containsEntry(
            "fashion-mnist",
            "dataset-fashion-mnist was not fetched: only the npm sources were asked for");
    assertThat(CocoCaptions.read(new DemoCorpus(root).trainAnnotations()))
        .extracting(CaptionedImage::fileName)
        .allMatch(f -> f.startsWith("emoji-google-"));
    assertThat(new DemoCorpus(root).fashionMnist()).doesNotExist();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("skipped tuxpaint-stamps-default=2022.06.04-1: only the npm sources")
        .contains("transfer set fashion-mnist left out");
  }

  @Test
  @DisplayName("labels one held-out image per group and shrinks images to 64 px")
  void labelsAndShrinks() throws IOException {
    Path root = dir.resolve("fixture");
    build(root);
    DemoCorpus corpus = new DemoCorpus(root);

    ZeroShotTask task = corpus.emojiGroups();
    List<CaptionedImage> heldout = CocoCaptions.read(corpus.heldoutAnnotations());
    assertThat(task.classNames()).containsExactly("smiley & emotion", "animal & nature");
    assertThat(task.labelByImageId())
        .containsEntry(heldout.get(0).id(), 0)
        .containsEntry(heldout.get(1).id(), 1)
        .hasSize(2);
    String json = Files.readString(corpus.heldoutAnnotations());
    assertThat(json).contains("\"width\" : 64").contains("\"height\" : 32");
    assertThat(Files.readString(root.resolve("LICENSES.md")))
        .contains("CC-BY-4.0")
        .contains("Apache-2.0");
  }

  @Test
  @DisplayName("does nothing but say so when run again on the same sources")
  void secondRunIsUpToDate() throws IOException {
    Path root = dir.resolve("fixture");
    build(root);
    Path manifest = new DemoCorpus(root).manifest();
    FileTime built = Files.getLastModifiedTime(manifest);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    BuildSummary again =
        CorpusBuilder.build(
            BuildPlan.fixture(),
            root,
            TestPackages.options(downloads),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(again.upToDate()).isTrue();
    assertThat(Files.getLastModifiedTime(manifest)).isEqualTo(built);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("reused  emojibase-data-17.0.0.tgz")
        .contains("is up to date; nothing to do");
  }

  @Test
  @DisplayName("refuses a downloaded package whose checksum is not the pinned one")
  void refusesUnpinnedBytes() throws IOException {
    Pins real = TestPackages.options(downloads).pins();
    Map<SourcePackage, String> pins = new HashMap<>();
    for (SourcePackage pkg : CorpusBuilder.packagesOf(BuildPlan.fixture())) {
      pins.put(pkg, real.expected(pkg));
    }
    String zeros = "0".repeat(64);
    pins.put(SourcePackage.EMOJIBASE, zeros);
    FetchOptions options = new FetchOptions(downloads, new Pins(pins), false);
    String actual = Digests.sha256(downloads.resolve(SourcePackage.EMOJIBASE.fileName()));

    assertThatThrownBy(
            () -> CorpusBuilder.build(BuildPlan.fixture(), dir.resolve("f"), options, quiet()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("emojibase-data-17.0.0.tgz has SHA-256 " + actual)
        .hasMessageContaining("emojibase-data@17.0.0 is pinned to " + zeros)
        .hasMessageContaining("delete the file to fetch it again");
  }

  @Test
  @DisplayName("removes what an interrupted fetch left behind before fetching")
  void removesInterruptedFetches() throws IOException {
    Path left = Files.createDirectories(downloads.resolve(".fetch-123"));
    Files.writeString(left.resolve("half.tgz"), "half");

    build(dir.resolve("fixture"));

    assertThat(left).doesNotExist();
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }
}
