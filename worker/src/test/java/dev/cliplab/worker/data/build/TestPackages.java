package dev.cliplab.worker.data.build;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Writes small npm tarballs and Debian packages laid out like the real sources. */
final class TestPackages {

  private TestPackages() {}

  /** Writes an npm tarball: every path gets npm's {@code package/} prefix. */
  static void npm(Path file, Map<String, byte[]> files) throws IOException {
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(file))) {
      writeTar(out, "package/", files, Map.of());
    }
  }

  /** Writes a Debian package whose {@code data.tar.xz} holds the files and links under "./". */
  static void deb(Path file, Map<String, byte[]> files, Map<String, String> links)
      throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (OutputStream xz = new XZCompressorOutputStream(data)) {
      writeTar(xz, "./", files, links);
    }
    try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(file))) {
      member(ar, "debian-binary", "2.0\n".getBytes());
      member(ar, "control.tar.xz", new byte[0]);
      member(ar, "data.tar.xz", data.toByteArray());
    }
  }

  /** Writes a Debian package whose data archive holds one file twice, as a tar may. */
  static void debWithDuplicate(Path file, String path, byte[] bytes) throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    try (OutputStream xz = new XZCompressorOutputStream(data)) {
      TarArchiveOutputStream tar = new TarArchiveOutputStream(xz);
      for (int i = 0; i < 2; i++) {
        TarArchiveEntry e = new TarArchiveEntry("./" + path);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
    try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(file))) {
      member(ar, "debian-binary", "2.0\n".getBytes());
      member(ar, "control.tar.xz", new byte[0]);
      member(ar, "data.tar.xz", data.toByteArray());
    }
  }

  /** Encodes an image of one ARGB colour as PNG. */
  static byte[] png(int width, int height, int argb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, argb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  /** Writes a Tux Paint stamps package holding the given files below its stamps folder. */
  static void stamps(Path downloads, Map<String, byte[]> files) throws IOException {
    Map<String, byte[]> all = new LinkedHashMap<>();
    all.put("usr/share/doc/tuxpaint-stamps-default/copyright", utf8("License: GPL-2\n"));
    files.forEach((path, bytes) -> all.put(StampCatalog.ROOT + path, bytes));
    deb(downloads.resolve(SourcePackage.TUXPAINT_STAMPS.fileName()), all, Map.of());
  }

  /**
   * Writes a Fashion-MNIST package laid out like Debian's: gzipped IDX files whose pixel {@code p}
   * of image {@code i} is {@link #pixel(int, int)} and whose label is {@code i % 10}, a README with
   * the class table, and a copyright file.
   */
  static void fashionMnist(Path downloads, int train, int test) throws IOException {
    fashionMnist(downloads, train, test, README_TABLE);
  }

  /** Writes a Fashion-MNIST package whose README has the given class table. */
  static void fashionMnist(Path downloads, int train, int test, String table) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("usr/share/doc/dataset-fashion-mnist/copyright", utf8("License: Expat\n"));
    files.put(FashionMnist.README, gzip(utf8("# Fashion-MNIST\n\n" + table + "\n## Usage\n")));
    files.put(FashionMnist.DATA + "train-images-idx3-ubyte.gz", gzip(idxImages(train)));
    files.put(FashionMnist.DATA + "train-labels-idx1-ubyte.gz", gzip(idxLabels(train)));
    files.put(FashionMnist.DATA + "t10k-images-idx3-ubyte.gz", gzip(idxImages(test)));
    files.put(FashionMnist.DATA + "t10k-labels-idx1-ubyte.gz", gzip(idxLabels(test)));
    deb(downloads.resolve(SourcePackage.FASHION_MNIST.fileName()), files, Map.of());
  }

  /** The README's label table, as the real one writes it. */
  static final String README_TABLE =
      "| Label | Description |\n| --- | --- |\n| 0 | T-shirt/top |\n| 1 | Trouser |\n"
          + "| 2 | Pullover |\n| 3 | Dress |\n| 4 | Coat |\n| 5 | Sandal |\n| 6 | Shirt |\n"
          + "| 7 | Sneaker |\n| 8 | Bag |\n| 9 | Ankle boot |\n";

  /** The value of pixel {@code p} of test image {@code i}. */
  static int pixel(int i, int p) {
    return (i * 7 + p) % 256;
  }

  /** Returns an IDX image file of n 28x28 images. */
  static byte[] idxImages(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x803);
    out.writeInt(n);
    out.writeInt(28);
    out.writeInt(28);
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 28 * 28; p++) {
        out.writeByte(pixel(i, p));
      }
    }
    return bytes.toByteArray();
  }

  /** Returns an IDX label file of n labels, {@code i % 10}. */
  static byte[] idxLabels(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x801);
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeByte(i % 10);
    }
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Returns fetch options that pin every package present in the folder to its checksum. */
  static FetchOptions options(Path downloads) throws IOException {
    return options(downloads, false);
  }

  /** Returns fetch options pinning the packages present, leaving out Debian's if asked. */
  static FetchOptions options(Path downloads, boolean npmOnly) throws IOException {
    List<SourcePackage> known = new ArrayList<>();
    known.add(SourcePackage.EMOJIBASE);
    List.of("google", "twitter", "apple", "facebook")
        .forEach(v -> known.add(SourcePackage.emojiVendor(v)));
    known.addAll(
        List.of(
            SourcePackage.CLIPART_PNG,
            SourcePackage.CLIPART_SVG,
            SourcePackage.TUXPAINT_STAMPS,
            SourcePackage.FASHION_MNIST));
    Map<SourcePackage, String> pins = new HashMap<>();
    for (SourcePackage pkg : known) {
      Path file = downloads.resolve(pkg.fileName());
      if (Files.isRegularFile(file)) {
        pins.put(pkg, Digests.sha256(file));
      }
    }
    return new FetchOptions(downloads, new Pins(pins), npmOnly);
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] bytes)
      throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  private static void writeTar(
      OutputStream out, String prefix, Map<String, byte[]> files, Map<String, String> links)
      throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      TarArchiveEntry e = new TarArchiveEntry(prefix + f.getKey());
      e.setSize(f.getValue().length);
      tar.putArchiveEntry(e);
      tar.write(f.getValue());
      tar.closeArchiveEntry();
    }
    for (Map.Entry<String, String> l : links.entrySet()) {
      TarArchiveEntry e = new TarArchiveEntry(prefix + l.getKey(), TarArchiveEntry.LF_SYMLINK);
      e.setLinkName(l.getValue());
      tar.putArchiveEntry(e);
      tar.closeArchiveEntry();
    }
    tar.finish();
  }
}
