package dev.cliplab.orchestrator;

import dev.cliplab.migrations.TestDatabase;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Options for a platform on a fresh test database, listening on a free port. */
public final class PlatformTestSupport {

  private PlatformTestSupport() {}

  /** Waits up to a minute for a future from a test thread. */
  public static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
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
