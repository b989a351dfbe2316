package dev.cliplab.worker.data.build;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Streams the entries of a source package, an npm tarball or a Debian package, without unpacking it
 * to disk. Paths are given relative to the package: npm's {@code package/} prefix and the Debian
 * data archive's {@code ./} are removed.
 */
final class Archives {

  private Archives() {}

  /** Receives the entries of an archive in their stored order. */
  interface Visitor {
    /** Receives a regular file; the stream ends with the entry and must not be closed. */
    void file(String path, InputStream in) throws IOException;

    /** Receives a symbolic link and its target as stored (often relative to the link's folder). */
    default void link(String path, String target) throws IOException {}

    /** Tells whether the visitor has seen all it needs, so that reading can stop early. */
    default boolean done() {
      return false;
    }
  }

  /** Visits the entries of a source package. */
  static void visit(FetchedSource source, Visitor visitor) throws IOException {
    Path file = source.file();
    if (source.pkg().kind() == SourcePackage.Kind.NPM) {
      try (InputStream in = new GzipCompressorInputStream(buffered(file))) {
        visitTar(in, "package/", visitor);
      }
    } else {
      visitDebData(file, visitor);
    }
  }

  private static void visitDebData(Path deb, Visitor visitor) throws IOException {
    try (ArArchiveInputStream ar = new ArArchiveInputStream(buffered(deb))) {
      for (ArArchiveEntry e = ar.getNextEntry(); e != null; e = ar.getNextEntry()) {
        String name = e.getName();
        if (visitor.done()) {
          return;
        }
        if (name.equals("data.tar.xz")) {
          visitTar(new XZCompressorInputStream(new BufferedInputStream(ar, 1 << 16)), "", visitor);
          return;
        }
        if (name.equals("data.tar.gz")) {
          visitTar(
              new GzipCompressorInputStream(new BufferedInputStream(ar, 1 << 16)), "", visitor);
          return;
        }
      }
    }
    throw new IOException(deb + " has no data.tar.xz or data.tar.gz member");
  }

  private static void visitTar(InputStream in, String prefix, Visitor visitor) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry e = tar.getNextEntry();
        e != null && !visitor.done();
        e = tar.getNextEntry()) {
      String path = strip(e.getName(), prefix);
      if (e.isSymbolicLink()) {
        visitor.link(path, e.getLinkName());
      } else if (e.isFile()) {
        visitor.file(path, tar);
      }
    }
  }

  private static String strip(String name, String prefix) {
    String path = name.startsWith("./") ? name.substring(2) : name;
    return path.startsWith(prefix) ? path.substring(prefix.length()) : path;
  }

  private static InputStream buffered(Path file) throws IOException {
    return new BufferedInputStream(Files.newInputStream(file), 1 << 16);
  }

  /**
   * Resolves a symbolic link's target against the link's folder, as the file system would (an
   * absolute target against the package root), and returns it as a package-relative path, or null
   * when it leaves the package.
   */
  static String resolveLink(String linkPath, String target) {
    Path base = Path.of(linkPath).getParent();
    Path resolved;
    if (target.startsWith("/")) {
      resolved = Path.of(target.substring(1)).normalize();
    } else {
      resolved = (base == null ? Path.of(target) : base.resolve(target)).normalize();
    }
    String s = resolved.toString();
    return s.startsWith("..") ? null : s;
  }

  /** Reads the named files of a package, stopping as soon as all were seen. */
  static Map<String, byte[]> readFiles(FetchedSource source, String... paths) throws IOException {
    Map<String, byte[]> found = new HashMap<>();
    Set<String> wanted = Set.of(paths);
    visit(
        source,
        new Visitor() {
          @Override
          public void file(String path, InputStream in) throws IOException {
            if (wanted.contains(path)) {
              found.put(path, in.readAllBytes());
            }
          }

          @Override
          public boolean done() {
            return found.size() == wanted.size();
          }
        });
    for (String p : paths) {
      if (!found.containsKey(p)) {
        throw new IOException(source.file() + " has no " + p);
      }
    }
    return found;
  }
}
