package dev.cliplab.orchestrator;

import dev.cliplab.migrations.TestDatabase;
import picocli.CommandLine;

/** Options for a platform on a fresh test database, listening on a free port. */
final class PlatformTestSupport {

  private PlatformTestSupport() {}

  static PlatformOptions options(TestDatabase db, String... extra) {
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
