package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a corpus's annotation files, zero-shot labels, licence notes and manifest. */
final class CorpusWriter {

  private final DemoCorpus corpus;

  CorpusWriter(Path root) {
    this.corpus = new DemoCorpus(root);
  }

  /** Writes the train, val and held-out annotations in COCO captions format. */
  void writeAnnotations(List<Placed> placed) throws IOException {
    long next = 1;
    next =
        writeCoco(corpus.trainAnnotations(), "pretraining, train", select(placed, "train"), next);
    next = writeCoco(corpus.valAnnotations(), "pretraining, val", select(placed, "val"), next);
    writeCoco(
        corpus.heldoutAnnotations(),
        "held-out emoji style " + SourcePackage.HELDOUT_VENDOR,
        select(placed, "heldout"),
        next);
  }

  /** Writes {@code heldout/emoji_groups.json}. */
  void writeGroups(Map<String, List<Placed>> groups) throws IOException {
    JsonArray labels = new JsonArray();
    groups.forEach(
        (c, members) ->
            members.forEach(
                p -> labels.add(new JsonObject().put("image_id", p.id()).put("class", c))));
    JsonObject task =
        new JsonObject()
            .put("name", "emoji-groups")
            .put("classes", new JsonArray(new ArrayList<>(groups.keySet())))
            .put("labels", labels);
    write(corpus.root().resolve("heldout/emoji_groups.json"), task.encodePrettily());
  }

  /** Writes {@code LICENSES.md}, naming every source, its version and licences. */
  void writeLicenses(List<JsonObject> sources) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Licences of the fixture's sources\n\n")
        .append("Every image is the sources' own artwork, composited on white and shrunk; every ")
        .append("caption is made of the sources' own words.\n\n")
        .append("| source | version | package licence | artwork licence |\n")
        .append("|---|---|---|---|\n");
    for (JsonObject s : sources) {
      md.append("| ")
          .append(s.getString("package"))
          .append(" | ")
          .append(s.getString("version"))
          .append(" | ")
          .append(s.getString("license"))
          .append(" | ")
          .append(
              s.getString("artworkLicense").isEmpty()
                  ? "captions only, no images"
                  : s.getString("artworkLicense"))
          .append(" |\n");
    }
    md.append("\nemoji-datasource (code and data) and emojibase-data are MIT-licensed. Twemoji ")
        .append("graphics are CC-BY 4.0, by Twitter, Inc. and other contributors. Google Noto ")
        .append("emoji are Apache-2.0. openclipart drawings are dedicated to the public domain. ")
        .append("Tux Paint stamps are GPL-2 (version 2 or later), by Bill Kendrick and ")
        .append("contributors; the images here are shrunk from the PNGs of the Debian package ")
        .append("named above, which is their source. Fashion-MNIST is MIT-licensed (Expat), ")
        .append("copyright Zalando SE; the IDX files here hold the package's images, or the ")
        .append("first of each split in a small corpus.\n");
    write(corpus.root().resolve("LICENSES.md"), md.toString());
  }

  /** Writes the manifest, last, marking the build complete. */
  void writeManifest(JsonObject manifest) throws IOException {
    write(corpus.manifest(), manifest.encodePrettily());
  }

  /** Counts the images and captions of each split. */
  static Map<String, JsonObject> splitCounts(List<Placed> placed) {
    Map<String, JsonObject> counts = new LinkedHashMap<>();
    for (String split : List.of("train", "val", "heldout")) {
      List<Placed> in = select(placed, split);
      counts.put(
          split, counts(in.size(), in.stream().mapToInt(p -> p.item().captions().size()).sum()));
    }
    return counts;
  }

  static JsonObject counts(int images, int captions) {
    return new JsonObject().put("images", images).put("captions", captions);
  }

  private static List<Placed> select(List<Placed> placed, String split) {
    return placed.stream().filter(p -> p.split().equals(split)).toList();
  }

  // Annotation ids run on across the files, so that each is unique in the corpus.
  private static long writeCoco(Path file, String description, List<Placed> placed, long firstId)
      throws IOException {
    JsonArray images = new JsonArray();
    JsonArray annotations = new JsonArray();
    long annotationId = firstId;
    for (Placed p : placed) {
      images.add(
          new JsonObject()
              .put("id", p.id())
              .put("file_name", p.item().fileName())
              .put("width", p.width())
              .put("height", p.height()));
      for (String caption : p.item().captions()) {
        annotations.add(
            new JsonObject()
                .put("id", annotationId++)
                .put("image_id", p.id())
                .put("caption", caption));
      }
    }
    JsonObject coco =
        new JsonObject()
            .put("info", new JsonObject().put("description", "cliplab demo corpus, " + description))
            .put("images", images)
            .put("annotations", annotations);
    write(file, coco.encodePrettily());
    return annotationId;
  }

  // Written beside the target and moved into place, so that no reader sees half a file.
  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
