package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionSourcesTest {

  private static final String RDF =
      "<metadata><rdf:RDF xmlns:cc='http://web.resource.org/cc/'"
          + " xmlns:dc='http://purl.org/dc/elements/1.1/'"
          + " xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
          + "<cc:Work rdf:about=''>"
          + "<dc:title>%s</dc:title>"
          + "<dc:description>%s</dc:description>"
          + "<dc:subject><rdf:Bag><rdf:li>Jane Doe</rdf:li><rdf:li>animal</rdf:li>"
          + "<rdf:li>hash(0x8c82364)</rdf:li><rdf:li> farm  life </rdf:li></rdf:Bag></dc:subject>"
          + "<dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent>"
          + "</dc:publisher>"
          + "<dc:creator><cc:Agent><dc:title>Jane Doe</dc:title></cc:Agent></dc:creator>"
          + "</cc:Work></rdf:RDF></metadata>";

  private static byte[] svg(String prolog, String title, String description) {
    return (prolog
            + "<svg xmlns='http://www.w3.org/2000/svg'>"
            + RDF.formatted(title, description)
            + "<g/></svg>")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("reads the work's title, not the publisher's or creator's")
  void readsWorkMetadata() throws XMLStreamException {
    SvgMetadata m = SvgMetadata.parse(svg("", "Cow", "A brown cow"));

    assertThat(m.title()).isEqualTo("Cow");
    assertThat(m.description()).isEqualTo("A brown cow");
    assertThat(m.creator()).isEqualTo("Jane Doe");
    assertThat(m.keywords()).containsExactly("Jane Doe", "animal", "hash(0x8c82364)", "farm  life");
  }

  @Test
  @DisplayName("expands internal entities but never reads an external one")
  void refusesExternalEntities(@TempDir Path dir) throws IOException, XMLStreamException {
    Path secret = Files.writeString(dir.resolve("secret.txt"), "SECRET");
    String prolog =
        "<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY kind 'cow'>"
            + "<!ENTITY leak SYSTEM '"
            + secret.toUri()
            + "'>]>";

    SvgMetadata m = SvgMetadata.parse(svg(prolog, "A &kind;", "x&leak;y"));

    assertThat(m.title()).isEqualTo("A cow");
    assertThat(m.description()).doesNotContain("SECRET");
  }

  @Test
  @DisplayName("makes captions of title, description and keywords without author or tool noise")
  void clipartCaptions() {
    SvgMetadata m =
        new SvgMetadata(
            "Croissant (B &amp; W)",
            "Released into the public domain",
            List.of("Jane Doe", "food", "hash(0x8c82364)", "hash", "unsorted", " croissant "),
            "Jane Doe");

    assertThat(ClipartCatalog.captions(m)).containsExactly("Croissant (B & W)", "food, croissant");
  }

  @Test
  @DisplayName("keeps a description that adds to the title and drops addresses")
  void clipartDescriptions() {
    SvgMetadata described = new SvgMetadata("Cow", "A cow  grazing", List.of(), "");
    SvgMetadata addressed =
        new SvgMetadata("someone@example.org", "see http://x.org", List.of(), "");

    assertThat(ClipartCatalog.captions(described)).containsExactly("Cow", "A cow grazing");
    assertThat(ClipartCatalog.captions(addressed)).isEmpty();
  }

  @Test
  @DisplayName("captions an emoji by label, sentence, tags and a differing Unicode name")
  void emojiCaptions() {
    Emoji grin =
        new Emoji(
            "1F600",
            "1f600.png",
            1,
            "GRINNING FACE",
            "grinning face",
            List.of("face", "grin"),
            "smileys & emotion",
            0,
            Set.of("google"));
    Emoji hash =
        new Emoji(
            "0023-FE0F-20E3",
            "0023-fe0f-20e3.png",
            2,
            "HASH KEY",
            "keycap: #",
            List.of("keycap"),
            "symbols",
            8,
            Set.of("google"));
    Emoji clock =
        new Emoji(
            "23F0",
            "23f0.png",
            3,
            "ALARM CLOCK",
            "alarm clock",
            List.of(),
            "objects",
            7,
            Set.of("google"));

    assertThat(grin.captions())
        .containsExactly("grinning face", "an emoji of a grinning face", "face, grin");
    assertThat(hash.captions())
        .containsExactly("keycap: #", "an emoji of a keycap: #", "keycap", "hash key");
    assertThat(clock.captions()).containsExactly("alarm clock", "an emoji of an alarm clock");
  }

  @Test
  @DisplayName("shrinks to the long side keeping the aspect, and never enlarges")
  void shrinks() {
    BufferedImage wide = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
    BufferedImage small = new BufferedImage(50, 20, BufferedImage.TYPE_INT_RGB);

    BufferedImage shrunk = ImagePass.shrink(wide, 96);
    assertThat(new int[] {shrunk.getWidth(), shrunk.getHeight()}).containsExactly(96, 48);
    assertThat(ImagePass.shrink(small, 96)).isSameAs(small);
    assertThat(ImagePass.subsampling(1000, 96)).isEqualTo(2);
    assertThat(ImagePass.subsampling(383, 96)).isEqualTo(1);
  }
}
