package dev.cliplab.worker.data.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {

  @TempDir Path dir;

  private FetchedSource source(SourcePackage pkg, Path file) throws IOException {
    return new FetchedSource(pkg, file, Files.size(file), Digests.sha256(file), true);
  }

  @Test
  @DisplayName("streams a Debian package's data files and links without its ./ prefix")
  void streamsDebianData() throws IOException {
    Path deb = dir.resolve("p.deb");
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("usr/share/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    files.put("usr/share/b/c.txt", "gamma".getBytes(StandardCharsets.UTF_8));
    TestPackages.deb(deb, files, Map.of("usr/share/b/d.txt", "../a.txt"));
    List<String> seen = new ArrayList<>();

    Archives.visit(
        source(SourcePackage.CLIPART_PNG, deb),
        new Archives.Visitor() {
          @Override
          public void file(String path, InputStream in) throws IOException {
            seen.add(path + "=" + new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }

          @Override
          public void link(String path, String target) {
            seen.add(path + "->" + Archives.resolveLink(path, target));
          }
        });

    assertThat(seen)
        .containsExactly(
            "usr/share/a.txt=alpha",
            "usr/share/b/c.txt=gamma",
            "usr/share/b/d.txt->usr/share/a.txt");
  }

  @Test
  @DisplayName("reads named files of an npm tarball and names a missing one")
  void readsNamedFiles() throws IOException {
    Path tgz = dir.resolve("p.tgz");
    TestPackages.npm(tgz, Map.of("package.json", "{}".getBytes(StandardCharsets.UTF_8)));
    FetchedSource s = source(SourcePackage.EMOJIBASE, tgz);

    assertThat(Archives.readFiles(s, "package.json").get("package.json"))
        .asString()
        .isEqualTo("{}");
    assertThatThrownBy(() -> Archives.readFiles(s, "en/data.json"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("en/data.json");
  }

  @Test
  @DisplayName("resolves link targets relative to the link's folder, and refuses escapes")
  void resolvesLinks() {
    assertThat(Archives.resolveLink("png/science/x.png", "../education/x.png"))
        .isEqualTo("png/education/x.png");
    assertThat(Archives.resolveLink("png/shapes/b.png", "a.png")).isEqualTo("png/shapes/a.png");
    assertThat(Archives.resolveLink("a/b.png", "/usr/c.png")).isEqualTo("usr/c.png");
    assertThat(Archives.resolveLink("a/b.png", "../../c.png")).isNull();
  }
}
