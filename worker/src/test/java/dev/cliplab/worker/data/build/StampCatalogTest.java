package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampCatalogTest {

  @TempDir Path dir;

  private FetchedSource stamps(Map<String, byte[]> files) throws IOException {
    TestPackages.stamps(dir, files);
    Path deb = dir.resolve(SourcePackage.TUXPAINT_STAMPS.fileName());
    return new FetchedSource(
        SourcePackage.TUXPAINT_STAMPS, deb, Files.size(deb), Digests.sha256(deb), true);
  }

  @Test
  @DisplayName(
      "captions a stamp with its first line and its folders, counting every stamp it skips")
  void readsUsableStampsAndCountsTheRest() throws IOException {
    byte[] png = TestPackages.png(8, 8, 0xff00ff00);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("animals/amphibians/frog.png", png);
    files.put(
        "animals/amphibians/frog.txt", TestPackages.utf8("A  frog.\r\nfr.utf8=Une grenouille.\n"));
    files.put("animals/amphibians/frog.ogg", new byte[] {1});
    files.put("animals/amphibians/frog_mirror.png", png);
    files.put("symbols/money/00_symbols/euro.png", png);
    files.put("symbols/money/00_symbols/euro.txt", TestPackages.utf8("\uFEFFEuro sign."));
    files.put("vehicles/bus.svg", TestPackages.utf8("<svg/>"));
    files.put("vehicles/bus.txt", TestPackages.utf8("A bus."));
    files.put("vehicles/car.png", png);
    files.put("vehicles/car.svg", TestPackages.utf8("<svg/>"));
    files.put("vehicles/car.txt", TestPackages.utf8("A car."));
    files.put("seasonal/gift.txt", TestPackages.utf8("A gift."));
    files.put("food/lonely.png", png);
    files.put("food/blank.png", png);
    files.put("food/blank.txt", TestPackages.utf8("   \nde.utf8=Leer.\n"));
    files.put("food/french.png", png);
    files.put("food/french.txt", TestPackages.utf8("fr.utf8=Une pomme.\n"));
    files.put("food/broken.png", png);
    files.put("food/broken.txt", new byte[] {'A', ' ', (byte) 0xc3, '(', '.'});
    Tally skips = new Tally();

    StampCatalog.Stamps read = StampCatalog.read(stamps(files), skips);

    assertThat(read.stamps())
        .containsExactly(
            new Stamp(
                "animals/amphibians/frog",
                StampCatalog.ROOT + "animals/amphibians/frog.png",
                List.of("A frog.", "animals, amphibians")),
            new Stamp(
                "symbols/money/00_symbols/euro",
                StampCatalog.ROOT + "symbols/money/00_symbols/euro.png",
                List.of("Euro sign.", "symbols, money")),
            new Stamp(
                "vehicles/car",
                StampCatalog.ROOT + "vehicles/car.png",
                List.of("A car.", "vehicles")));
    assertThat(read.images())
        .containsOnlyKeys(
            StampCatalog.ROOT + "animals/amphibians/frog.png",
            StampCatalog.ROOT + "symbols/money/00_symbols/euro.png",
            StampCatalog.ROOT + "vehicles/car.png")
        .containsEntry(StampCatalog.ROOT + "vehicles/car.png", png);
    assertThat(skips.counts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                StampCatalog.ALTERNATE, 1L,
                StampCatalog.SVG_ONLY, 1L,
                StampCatalog.NO_IMAGE, 1L,
                StampCatalog.NO_DESCRIPTION, 1L,
                StampCatalog.NO_SENTENCE, 2L,
                StampCatalog.NOT_UTF8, 1L));
  }

  @Test
  @DisplayName("stops at a stamp file that the package holds twice, naming it")
  void refusesDuplicateEntries() throws IOException {
    Path twice = dir.resolve("twice.deb");
    TestPackages.debWithDuplicate(
        twice, StampCatalog.ROOT + "a/cat.txt", TestPackages.utf8("A cat."));
    FetchedSource source =
        new FetchedSource(
            SourcePackage.TUXPAINT_STAMPS, twice, Files.size(twice), Digests.sha256(twice), true);

    assertThatThrownBy(() -> StampCatalog.read(source, new Tally()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a/cat.txt twice")
        .hasMessageContaining("stamp a/cat");
  }

  @Test
  @DisplayName("phrases the category from the folder names only")
  void categoryPhrase() {
    assertThat(StampCatalog.category("animals/mammals/bears/cartoon/panda"))
        .isEqualTo("animals, mammals, bears, cartoon");
    assertThat(StampCatalog.category("household/body_parts/hand"))
        .isEqualTo("household, body parts");
    assertThat(StampCatalog.category("frog")).isEmpty();
  }

  @Test
  @DisplayName("takes a lower-case first line as a sentence unless it is a translation")
  void sentences() {
    assertThat(StampCatalog.sentence("cat.\nde.utf8=Katze.")).isEqualTo("cat.");
    assertThat(StampCatalog.sentence("pt_BR.utf8=Um sapo.")).isNull();
    assertThat(StampCatalog.sentence("ca@valencia.utf8=Una granota.")).isNull();
    assertThat(StampCatalog.sentence("42\nen.utf8=x")).isNull();
    assertThat(StampCatalog.decode(new byte[] {(byte) 0xff})).isNull();
  }
}
