package dev.cliplab.worker.data.build;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
