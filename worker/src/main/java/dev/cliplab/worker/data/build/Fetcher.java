package dev.cliplab.worker.data.build;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches source packages with their own clients into the downloads folder, once: a file that is
 * already there and matches the checksum recorded when it was fetched is reused.
 */
final class Fetcher {

  private static final long TIMEOUT_MINUTES = 15;

  private final Path downloads;
  private final PrintStream progress;

  Fetcher(Path downloads, PrintStream progress) {
    this.downloads = downloads;
    this.progress = progress;
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

  /** Returns the package's file, fetching it only when it is missing or fails its checksum. */
  FetchedSource fetch(SourcePackage pkg) throws IOException {
    Files.createDirectories(downloads);
    Path file = downloads.resolve(pkg.fileName());
    Path record = downloads.resolve(pkg.fileName() + ".sha256");
    if (Files.isRegularFile(file)) {
      String sha = Digests.sha256(file);
      String recorded = Files.isRegularFile(record) ? Files.readString(record).strip() : sha;
      if (recorded.equals(sha)) {
        Files.writeString(record, sha + "\n");
        return report(new FetchedSource(pkg, file, Files.size(file), sha, true));
      }
      progress.printf("  %s does not match its recorded sha256; fetching it again%n", file);
      Files.delete(file);
    }
    download(pkg, file);
    String sha = Digests.sha256(file);
    Files.writeString(record, sha + "\n");
    return report(new FetchedSource(pkg, file, Files.size(file), sha, false));
  }

  private FetchedSource report(FetchedSource s) {
    progress.printf(
        "  %s %s (%,d bytes, sha256 %s)%n",
        s.reused() ? "reused " : "fetched", s.file().getFileName(), s.bytes(), s.sha256());
    return s;
  }

  // The client writes into a fresh folder, so that an interrupted download never leaves a
  // truncated file under the final name.
  private void download(SourcePackage pkg, Path file) throws IOException {
    Path work = Files.createTempDirectory(downloads, ".fetch-");
    try {
      List<String> command =
          pkg.kind() == SourcePackage.Kind.NPM
              ? List.of("npm", "pack", pkg.spec())
              : List.of("apt-get", "download", pkg.spec());
      run(command, work);
      Path fetched = work.resolve(pkg.fileName());
      if (!Files.isRegularFile(fetched)) {
        throw new IOException(
            String.join(" ", command) + " did not write " + pkg.fileName() + " but " + list(work));
      }
      Files.move(fetched, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(work);
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
