package dev.cliplab.worker.train;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@link TrainBench}: {@code --flag value} pairs.
 *
 * @param batches the batch sizes to time
 * @param steps timed training steps per batch size and bound
 * @param spec the configuration; absent fields take the demo defaults
 * @param vocabulary the vocabulary size the text encoder is built for
 * @param memorySteps steps of the memory run, 0 for none
 * @param memoryBatch the batch size of the memory run
 */
record BenchOptions(
    List<Integer> batches,
    int steps,
    TrainSpec spec,
    int vocabulary,
    int memorySteps,
    int memoryBatch) {

  private static final Set<String> FLAGS =
      Set.of("batches", "steps", "spec", "vocabulary", "memory-steps", "memory-batch");

  static BenchOptions parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i].startsWith("--") ? args[i].substring(2) : "";
      if (!FLAGS.contains(flag) || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "expected --flag value pairs with a flag among " + FLAGS + ", got " + args[i]);
      }
      given.put(flag, args[i + 1]);
    }
    List<Integer> batches =
        Arrays.stream(given.getOrDefault("batches", "16,32,64,128,256").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    int memorySteps = Integer.parseInt(given.getOrDefault("memory-steps", "0"));
    if (memorySteps != 0 && memorySteps < 100) {
      throw new IllegalArgumentException(
          "--memory-steps must be 0 or at least 100: " + memorySteps);
    }
    return new BenchOptions(
        batches,
        Integer.parseInt(given.getOrDefault("steps", "3")),
        TrainSpec.fromJson(new JsonObject(given.getOrDefault("spec", "{}"))),
        Integer.parseInt(given.getOrDefault("vocabulary", "3000")),
        memorySteps,
        Integer.parseInt(given.getOrDefault("memory-batch", "128")));
  }
}
