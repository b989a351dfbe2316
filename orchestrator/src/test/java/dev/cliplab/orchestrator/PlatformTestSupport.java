package dev.cliplab.orchestrator;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Options for a platform on a fresh test database, listening on a free port. */
public final class PlatformTestSupport {

  static final Path FIXTURE = Paths.get("..", "worker", "src", "test", "resources", "fixture");

  private PlatformTestSupport() {}

  /** Waits up to a minute for a future from a test thread. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** A platform serving the API, without workers, on a fresh test database. */
  public static Platform apiOnly(Vertx vertx) throws Exception {
    return await(Platform.start(vertx, options(TestDatabase.create(), "--devices", "none")));
  }

  /**
   * Copies the committed fixture corpus into {@code to}, without its pixel caches, since runs write
   * theirs into the corpus; returns {@code to}.
   */
  public static Path copyFixture(Path to) throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURE)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(FIXTURE.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!source.toString().contains("/cache/")) {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  public static PlatformOptions options(TestDatabase db, String... extra) {
    PlatformOptions options = new PlatformOptions();
    String[] base = {
      "--pg-host", db.host(),
      "--pg-port", String.valueOf(db.port()),
      "--pg-user", db.user(),
      "--pg-database", db.name(),
      "--http-port", "0"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    new CommandLine(options).parseArgs(args);
    return options;
  }
}
