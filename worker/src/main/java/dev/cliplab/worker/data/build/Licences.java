package dev.cliplab.worker.data.build;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Reads a source package's licence from its own metadata. */
final class Licences {

  private Licences() {}

  /**
   * Returns the licence an npm package declares in {@code package.json}, or what a Debian package's
   * copyright file states: its first {@code License:} field, else "public domain" when it dedicates
   * the work to the public domain.
   */
  static String of(FetchedSource source) throws IOException {
    if (source.pkg().kind() == SourcePackage.Kind.NPM) {
      Map<String, byte[]> files = Archives.readFiles(source, "package.json");
      return new JsonObject(Buffer.buffer(files.get("package.json"))).getString("license", "");
    }
    String path = "usr/share/doc/" + source.pkg().name() + "/copyright";
    String text = new String(Archives.readFiles(source, path).get(path), StandardCharsets.UTF_8);
    return fromCopyright(text);
  }

  static String fromCopyright(String text) {
    for (String line : text.split("\n")) {
      if (line.startsWith("License:")) {
        return line.substring("License:".length()).strip();
      }
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("cc0")) {
      return "CC0-1.0";
    }
    if (lower.contains("public domain")) {
      return "public domain (Creative Commons Public Domain Dedication)";
    }
    return "see the package's copyright file";
  }
}
