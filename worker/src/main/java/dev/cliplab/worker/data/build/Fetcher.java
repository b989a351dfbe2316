package dev.cliplab.worker.data.build;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches source packages with their own clients into the downloads folder, once. A package is
 * fetched into a temporary folder and moved to its final name only after its checksum matched the
 * pinned one, so a file under a final name is always complete and verified, and a run that was
 * interrupted starts again at the package it was fetching.
 */
final class Fetcher implements AutoCloseable {

  private static final long TIMEOUT_MINUTES = 15;
  private static final String WORK_PREFIX = ".fetch-";

  private final Path downloads;
  private final Pins pins;
  private final PrintStream progress;
  private final FileChannel lockFile;
  private final FileLock lock;

  /**
   * Takes the downloads folder for this process, waiting while another build fetches into it, and
   * removes what an interrupted fetch left behind.
   */
  Fetcher(Path downloads, Pins pins, PrintStream progress) throws IOException {
    this.downloads = Files.createDirectories(downloads);
    this.pins = pins;
    this.progress = progress;
    this.lockFile =
        FileChannel.open(
            downloads.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    this.lock = lockFile.lock();
    removeInterrupted();
  }

  /** Tells whether {@code apt-get} can be run here. */
  static boolean aptAvailable() {
    try {
      Process p = new ProcessBuilder("apt-get", "--version").redirectErrorStream(true).start();
      p.getInputStream().transferTo(OutputStream.nullOutputStream());
      return p.waitFor(1, TimeUnit.MINUTES) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Returns the package's file, fetching it only when it is missing.
   *
   * @throws IOException if the client fails, or the file there or just fetched does not have the
   *     pinned checksum
   */
  FetchedSource fetch(SourcePackage pkg) throws IOException {
    Path file = downloads.resolve(pkg.fileName());
    String expected = pins.expected(pkg);
    if (Files.isRegularFile(file)) {
      String sha = Digests.sha256(file);
      if (!sha.equals(expected)) {
        throw new IOException(
            "%s has SHA-256 %s, but %s is pinned to %s; delete the file to fetch it again"
                .formatted(file, sha, pkg.spec(), expected));
      }
      return report(new FetchedSource(pkg, file, Files.size(file), sha, true));
    }
    List<String> command =
        pkg.kind() == SourcePackage.Kind.NPM
            ? List.of("npm", "pack", pkg.spec())
            : List.of("apt-get", "download", pkg.spec());
    progress.printf("  fetching %s with %s%n", pkg.spec(), String.join(" ", command));
    String sha = download(pkg, command, file, expected);
    return report(new FetchedSource(pkg, file, Files.size(file), sha, false));
  }

  private FetchedSource report(FetchedSource s) {
    progress.printf(
        "  %s %s (%,d bytes, sha256 %s, as pinned)%n",
        s.reused() ? "reused " : "fetched", s.file().getFileName(), s.bytes(), s.sha256());
    return s;
  }

  private String download(SourcePackage pkg, List<String> command, Path file, String expected)
      throws IOException {
    Path work = Files.createTempDirectory(downloads, WORK_PREFIX);
    try {
      run(command, work);
      Path fetched = work.resolve(pkg.fileName());
      if (!Files.isRegularFile(fetched)) {
        throw new IOException(
            String.join(" ", command) + " did not write " + pkg.fileName() + " but " + list(work));
      }
      String sha = Digests.sha256(fetched);
      if (!sha.equals(expected)) {
        throw new IOException(
            "%s gave %s with SHA-256 %s, but it is pinned to %s: the source now serves different bytes under this version"
                .formatted(String.join(" ", command), pkg.fileName(), sha, expected));
      }
      Files.move(fetched, file, StandardCopyOption.ATOMIC_MOVE);
      return sha;
    } finally {
      deleteTree(work);
    }
  }

  private void removeInterrupted() throws IOException {
    try (DirectoryStream<Path> left = Files.newDirectoryStream(downloads, WORK_PREFIX + "*")) {
      for (Path dir : left) {
        progress.printf("  removing %s, left by an interrupted fetch%n", dir.getFileName());
        deleteTree(dir);
      }
    }
  }

  private static void run(List<String> command, Path dir) throws IOException {
    Path out = dir.resolve(".stdout");
    Path err = dir.resolve(".stderr");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took over " + TIMEOUT_MINUTES + " min");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", command) + " was interrupted", e);
    }
    if (p.exitValue() != 0) {
      String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
      throw new IOException(
          String.join(" ", command) + " failed with exit code " + p.exitValue() + ": " + stderr);
    }
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  /** Releases the downloads folder to other builds. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      lockFile.close();
    }
  }

  /** Deletes a folder and everything below it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(paths.get(i));
    }
  }
}
