package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.DemoCorpus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes Fashion-MNIST as a transfer set: the package's gzipped IDX files, checked and copied byte
 * for byte (or, for a small plan, the first images of each split in the same format), and the class
 * names in label order, checked against the table in the package's README.
 */
final class FashionMnist {

  /** The class names in label order, as the dataset's README lists them. */
  static final List<String> CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  static final String DATA = "usr/share/datasets/fashion-mnist/";
  static final String README = "usr/share/doc/dataset-fashion-mnist/README.md.gz";

  private static final int IMAGES_MAGIC = 0x803;
  private static final int LABELS_MAGIC = 0x801;
  private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|\\s*(.+?)\\s*\\|\\s*$");

  /** One split's pair of files. */
  private record Split(String name, String prefix, int keep) {
    String images() {
      return prefix + "-images-idx3-ubyte.gz";
    }

    String labels() {
      return prefix + "-labels-idx1-ubyte.gz";
    }
  }

  /** What was written of one split: how many images, and whether its files are the package's. */
  private record Copied(int images, boolean asShipped) {}

  private FashionMnist() {}

  /**
   * Writes the set below a corpus root.
   *
   * @param pkg the dataset-fashion-mnist package
   * @param root the corpus folder
   * @param plan how many images of each split to keep
   * @return the set's manifest entry
   * @throws IOException if a file is missing, is not gzipped IDX, disagrees with its twin, or the
   *     README's classes differ from the pinned ones
   */
  static JsonObject write(FetchedSource pkg, Path root, BuildPlan plan) throws IOException {
    List<Split> splits =
        List.of(
            new Split("train", "train", plan.fashionTrain()),
            new Split("test", "t10k", plan.fashionTest()));
    List<String> paths = new ArrayList<>(List.of(README));
    splits.forEach(s -> paths.addAll(List.of(DATA + s.images(), DATA + s.labels())));
    Map<String, byte[]> files = Archives.readFiles(pkg, paths.toArray(String[]::new));
    checkClasses(pkg, gunzip(files.get(README), README));

    Path dir = Files.createDirectories(new DemoCorpus(root).fashionMnist());
    JsonObject counts = new JsonObject();
    String where = pkg.file().getFileName() + ": " + DATA;
    boolean asShipped = true;
    for (Split s : splits) {
      Copied copied = copy(where, s, files, dir);
      counts.put(s.name(), copied.images());
      asShipped &= copied.asShipped();
    }
    Files.writeString(
        dir.resolve("classes.txt"), String.join("\n", CLASSES) + "\n", StandardCharsets.UTF_8);
    return new JsonObject()
        .put("path", root.relativize(dir).toString())
        .put("format", "IDX, gzipped")
        .put("asShipped", asShipped)
        .put("source", pkg.pkg().name())
        .put("classes", new JsonArray(CLASSES))
        .put("images", counts);
  }

  // Copies a split's files as shipped, or writes the first images the plan keeps.
  private static Copied copy(String where, Split s, Map<String, byte[]> files, Path dir)
      throws IOException {
    byte[] images = files.get(DATA + s.images());
    byte[] labels = files.get(DATA + s.labels());
    int n = check(where, s, gunzip(images, where + s.images()), gunzip(labels, where + s.labels()));
    if (s.keep() < 0 || s.keep() >= n) {
      Files.write(dir.resolve(s.images()), images);
      Files.write(dir.resolve(s.labels()), labels);
      return new Copied(n, true);
    }
    Files.write(dir.resolve(s.images()), head(images, 16, 28 * 28, s.keep()));
    Files.write(dir.resolve(s.labels()), head(labels, 8, 1, s.keep()));
    return new Copied(s.keep(), false);
  }

  // The label table is the dataset's own statement of its classes; a package that says otherwise
  // is not the one the class names were pinned from.
  private static void checkClasses(FetchedSource pkg, byte[] readme) throws IOException {
    List<String> listed = new ArrayList<>();
    for (String line : new String(readme, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches() && Integer.parseInt(m.group(1)) == listed.size()) {
        listed.add(m.group(2));
      }
    }
    if (!listed.equals(CLASSES)) {
      throw new IOException(
          "%s: %s lists the classes %s, not %s"
              .formatted(pkg.file().getFileName(), README, listed, CLASSES));
    }
  }

  /** Checks a split's two IDX files and returns its number of images. */
  private static int check(String where, Split s, byte[] images, byte[] labels) throws IOException {
    int[] imageHeader = header(images, IMAGES_MAGIC, 3, where + s.images());
    int[] labelHeader = header(labels, LABELS_MAGIC, 1, where + s.labels());
    int n = imageHeader[0];
    if (imageHeader[1] != 28 || imageHeader[2] != 28) {
      throw new IOException(
          where
              + s.images()
              + " holds images of "
              + imageHeader[1]
              + "x"
              + imageHeader[2]
              + " pixels, not 28x28");
    }
    if (labelHeader[0] != n) {
      throw new IOException(
          where + s.labels() + " has " + labelHeader[0] + " labels for " + n + " images");
    }
    for (int i = 0; i < n; i++) {
      int label = labels[8 + i] & 0xff;
      if (label >= CLASSES.size()) {
        throw new IOException(where + s.labels() + ": image " + i + " has label " + label);
      }
    }
    return n;
  }

  // Returns the dimensions after the magic number, once the length matches them exactly.
  private static int[] header(byte[] idx, int magic, int dims, String name) throws IOException {
    if (idx.length < 4 + 4 * dims) {
      throw new IOException(name + " is too short to be an IDX file");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(idx));
    int found = in.readInt();
    if (found != magic) {
      throw new IOException(
          "%s has IDX magic number 0x%08x, not 0x%08x".formatted(name, found, magic));
    }
    int[] size = new int[dims];
    long expected = 4 + 4L * dims;
    long cells = 1;
    for (int d = 0; d < dims; d++) {
      size[d] = in.readInt();
      cells *= size[d];
    }
    if (idx.length != expected + cells) {
      throw new IOException(
          name + " holds " + (idx.length - expected) + " bytes of data, not " + cells);
    }
    return size;
  }

  // The first n records of a gzipped IDX file, with the count in its header changed to n.
  private static byte[] head(byte[] gz, int headerBytes, int recordBytes, int n)
      throws IOException {
    byte[] idx = gunzip(gz, "an IDX file");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream zip = new GZIPOutputStream(out)) {
      DataOutputStream data = new DataOutputStream(zip);
      data.write(idx, 0, 4);
      data.writeInt(n);
      data.write(idx, 8, headerBytes - 8);
      data.write(idx, headerBytes, n * recordBytes);
      data.flush();
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz, String name) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IOException(name + " is not a complete gzip file: " + e.getMessage(), e);
    }
  }
}
