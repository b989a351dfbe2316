package dev.cliplab.orchestrator.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists the sweeps, or shows one sweep's counts and trials. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "List sweeps, or show one sweep's trial counts and trials.")
public final class StatusCommand extends ClientCommand {

  @Parameters(
      paramLabel = "SWEEP_ID",
      arity = "0..1",
      description = "The sweep to show; without it, the newest sweeps.")
  Long sweep;

  @Option(names = "--limit", defaultValue = "50", description = "Sweeps to list (default 50).")
  int limit;

  @Override
  int run(ApiClient client) throws Exception {
    ApiClient.Answer answer =
        client.get(sweep == null ? "/sweeps?limit=" + limit : "/sweeps/" + sweep);
    if (!answer.ok()) {
      return refused(answer, FAILED);
    }
    if (sweep == null) {
      printSweeps(answer.json().getJsonArray("sweeps"));
    } else {
      printSweep(answer.json());
    }
    return 0;
  }

  private void printSweeps(JsonArray sweeps) {
    TextTable table = new TextTable("ID", "NAME", "STATUS", "TRIALS", "COUNTS", "CREATED");
    for (Object item : sweeps) {
      JsonObject s = (JsonObject) item;
      table.add(
          s.getLong("id"),
          s.getString("name"),
          s.getString("status", s.getLong("active", 0L) > 0 ? "active" : "finished"),
          s.getValue("trials"),
          s.containsKey("counts") ? counts(s.getJsonObject("counts")) : activeCount(s),
          s.getString("created_at"));
    }
    table.print(out());
  }

  private void printSweep(JsonObject sweep) {
    JsonArray trials = sweep.getJsonArray("trials", new JsonArray());
    long total = sweep.getLong("trials_total", (long) trials.size());
    out()
        .printf(
            "sweep %d '%s': %s, %s trials (%s)%n",
            sweep.getLong("id"),
            sweep.getString("name"),
            sweep.getString("status"),
            total,
            counts(sweep.getJsonObject("counts", new JsonObject())));
    Set<String> varying = varyingParams(trials);
    TextTable table = new TextTable("ID", "STATUS", "ATTEMPT", "PARAMS", "ERROR");
    for (Object item : trials) {
      JsonObject t = (JsonObject) item;
      table.add(
          t.getLong("id"),
          t.getString("status"),
          t.getValue("attempt"),
          params(t.getJsonObject("params"), varying),
          t.getString("error"));
    }
    table.print(out());
    if (total != trials.size()) {
      out().printf("(the first %d of %s trials)%n", trials.size(), total);
    }
  }

  /** "queued 2, running 1", in the API's order. */
  private static String counts(JsonObject counts) {
    StringJoiner joined = new StringJoiner(", ");
    counts.forEach(e -> joined.add(e.getKey() + " " + e.getValue()));
    return joined.toString();
  }

  private static String activeCount(JsonObject sweep) {
    return sweep.containsKey("active") ? "queued or running " + sweep.getValue("active") : "";
  }

  /**
   * The parameters every trial sets and not all to the same value: what the sweep varies, without
   * the fixed settings or the full parameter sets of baselines; every parameter of a lone trial.
   */
  private static Set<String> varyingParams(JsonArray trials) {
    List<JsonObject> params = new ArrayList<>();
    trials.forEach(t -> params.add(((JsonObject) t).getJsonObject("params", new JsonObject())));
    if (params.size() == 1) {
      return params.get(0).fieldNames();
    }
    Set<String> varying = new LinkedHashSet<>();
    for (String key : params.isEmpty() ? Set.<String>of() : params.get(0).fieldNames()) {
      Object first = params.get(0).getValue(key);
      boolean everywhere = params.stream().allMatch(p -> p.containsKey(key));
      if (everywhere && params.stream().anyMatch(p -> !Objects.equals(first, p.getValue(key)))) {
        varying.add(key);
      }
    }
    return varying;
  }

  private static String params(JsonObject params, Set<String> shown) {
    StringJoiner joined = new StringJoiner(" ");
    params.forEach(
        e -> {
          if (shown.contains(e.getKey())) {
            joined.add(e.getKey() + "=" + e.getValue());
          }
        });
    return joined.toString();
  }
}
