package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the fixture plan from tiny packages with one emoji and fourteen drawings: twelve stars
 * whose captions are the same once normalised, a moon titled like the stars but without their
 * keywords, and a cow.
 */
class CaptionSetCapTest {

  private static final int STARS = 12;

  @TempDir Path dir;

  @Test
  @DisplayName("keeps eight of twelve identically captioned drawings and counts the other four")
  void capsIdenticalCaptionSets() throws IOException {
    assumeTrue(Fetcher.aptAvailable(), "the clip-art packages are skipped where apt is missing");
    Path root = dir.resolve("fixture");
    BuildSummary summary = build(root, packages("downloads", drawings()));

    List<String> clipart = clipart(root);
    assertThat(clipart).hasSize(8 + 1 + 1);
    assertThat(clipart).filteredOn(f -> f.startsWith("openclipart-stars-")).hasSize(8);
    assertThat(clipart).contains("openclipart-sky-moon.png", "openclipart-animals-cow.png");
    assertThat(summary.skipped())
        .containsEntry("clip art beyond 8 per identical caption set", 4L)
        .containsEntry("clip art without a usable caption", 1L);
    try (Stream<Path> files = Files.list(new DemoCorpus(root).trainImages())) {
      assertThat(files.filter(f -> f.getFileName().toString().startsWith("openclipart-")))
          .hasSize(10);
    }
  }

  @Test
  @DisplayName("keeps the same drawings whatever the order of the archive")
  void keepsTheSameDrawingsInAnyOrder() throws IOException {
    assumeTrue(Fetcher.aptAvailable(), "the clip-art packages are skipped where apt is missing");
    List<Map.Entry<String, byte[]>> reversed = new ArrayList<>(drawings().entrySet());
    Collections.reverse(reversed);
    Map<String, byte[]> backwards = new LinkedHashMap<>();
    reversed.forEach(e -> backwards.put(e.getKey(), e.getValue()));

    Path forward = dir.resolve("forward");
    Path backward = dir.resolve("backward");
    build(forward, packages("downloads-forward", drawings()));
    build(backward, packages("downloads-backward", backwards));

    assertThat(clipart(forward)).hasSize(10).containsExactlyInAnyOrderElementsOf(clipart(backward));
  }

  @Test
  @DisplayName("compares captions by their words, ignoring case, punctuation and order")
  void normalisesCaptionSets() {
    assertThat(CaptionSetCap.key(List.of("GramaStar!", "Stars, shapes")))
        .isEqualTo(CaptionSetCap.key(List.of("stars shapes", "gramastar", "gramastar")))
        .containsExactly("gramastar", "stars shapes");
    assertThat(CaptionSetCap.key(List.of("gramastar")))
        .isNotEqualTo(CaptionSetCap.key(List.of("gramastar", "stars shapes")));
  }

  /** Returns the drawings by key, in archive order: ten stars, two restyled stars, moon, cow. */
  private static Map<String, String[]> captionsByKey() {
    Map<String, String[]> drawings = new LinkedHashMap<>();
    for (int i = 1; i <= STARS - 2; i++) {
      drawings.put("stars/star_%02d".formatted(i), new String[] {"gramastar", "stars", "shapes"});
    }
    drawings.put("stars/big_star", new String[] {"GramaStar!", "Stars", "shapes"});
    drawings.put("stars/small_star", new String[] {" gramastar ", "stars", "Shapes."});
    drawings.put("sky/moon", new String[] {"gramastar"});
    drawings.put("animals/cow", new String[] {"Cow", "animal"});
    drawings.put("animals/blank", new String[] {""});
    return drawings;
  }

  private static Map<String, byte[]> drawings() {
    Map<String, byte[]> svgs = new LinkedHashMap<>();
    captionsByKey()
        .forEach(
            (key, captions) ->
                svgs.put(key, svg(captions[0], List.of(captions).subList(1, captions.length))));
    return svgs;
  }

  private Path packages(String name, Map<String, byte[]> svgs) throws IOException {
    Path downloads = Files.createDirectories(dir.resolve(name));
    emoji(downloads);
    Map<String, byte[]> pngFiles = new LinkedHashMap<>();
    Map<String, byte[]> svgFiles = new LinkedHashMap<>();
    String copyright = "usr/share/doc/openclipart-%s/copyright";
    pngFiles.put(copyright.formatted("png"), bytes("Copyright: public domain"));
    svgFiles.put(copyright.formatted("svg"), bytes("Copyright: public domain"));
    for (Map.Entry<String, byte[]> e : svgs.entrySet()) {
      pngFiles.put(ClipartCatalog.PNG_ROOT + e.getKey() + ".png", TestPackages.png(20, 20, ~0));
      svgFiles.put(ClipartCatalog.SVG_ROOT + e.getKey() + ".svg", e.getValue());
    }
    TestPackages.deb(downloads.resolve(SourcePackage.CLIPART_PNG.fileName()), pngFiles, Map.of());
    TestPackages.deb(downloads.resolve(SourcePackage.CLIPART_SVG.fileName()), svgFiles, Map.of());
    TestPackages.stamps(downloads, Map.of());
    TestPackages.fashionMnist(downloads, 2, 2);
    return downloads;
  }

  private static BuildSummary build(Path root, Path downloads) throws IOException {
    return CorpusBuilder.build(BuildPlan.fixture(), root, TestPackages.options(downloads), quiet());
  }

  private static void emoji(Path downloads) throws IOException {
    TestPackages.npm(
        downloads.resolve(SourcePackage.EMOJIBASE.fileName()),
        Map.of(
            "package.json", bytes("{'license':'MIT'}"),
            "en/data.json",
                bytes("[{'label':'dog face','hexcode':'1F436','tags':['dog'],'group':3}]"),
            "en/messages.json",
                bytes("{'groups':[{'key':'animals-nature','message':'animals','order':3}]}")));
    for (String vendor : List.of("google", "twitter")) {
      String catalog =
          "[{'unified':'1F436','non_qualified':null,'image':'1f436.png','name':'DOG FACE',"
              + "'sort_order':1,'has_img_google':true,'has_img_twitter':true}]";
      TestPackages.npm(
          downloads.resolve(SourcePackage.emojiVendor(vendor).fileName()),
          Map.of(
              "package.json",
              bytes("{'license':'MIT'}"),
              "emoji.json",
              bytes(catalog),
              "img/" + vendor + "/64/1f436.png",
              TestPackages.png(64, 64, 0xff000000)));
    }
  }

  private static List<String> clipart(Path root) throws IOException {
    DemoCorpus corpus = new DemoCorpus(root);
    List<CaptionedImage> pretrain = new ArrayList<>(CocoCaptions.read(corpus.trainAnnotations()));
    pretrain.addAll(CocoCaptions.read(corpus.valAnnotations()));
    return pretrain.stream()
        .map(CaptionedImage::fileName)
        .filter(f -> f.startsWith("openclipart-"))
        .toList();
  }

  private static byte[] svg(String title, List<String> keywords) {
    StringBuilder items = new StringBuilder();
    keywords.forEach(k -> items.append("<rdf:li>").append(k).append("</rdf:li>"));
    return bytes(
        "<svg xmlns='http://www.w3.org/2000/svg'><metadata><rdf:RDF"
            + " xmlns:cc='http://web.resource.org/cc/' xmlns:dc='http://purl.org/dc/elements/1.1/'"
            + " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><cc:Work><dc:title>"
            + title
            + "</dc:title><dc:subject><rdf:Bag>"
            + items
            + "</rdf:Bag></dc:subject></cc:Work></rdf:RDF></metadata></svg>");
  }

  private static byte[] bytes(String json) {
    return json.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  private static PrintStream quiet() {
    return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
  }
}
