package dev.cliplab.orchestrator.api;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** Reads query parameters, answering a 400 that names the parameter when one is malformed. */
final class QueryParams {

  private QueryParams() {}

  /** An integer within bounds, or the fallback when absent. */
  static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw);
      if (value < min || value > max) {
        throw ApiException.badRequest(name, "must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "'" + raw + "' is not an integer");
    }
  }

  /** A numeric id, or null when absent. */
  /**
   * A flag that is false when absent and otherwise must say {@code true} or {@code false}: a
   * misspelt dry run must not quietly become a real submission.
   */
  static boolean bool(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.equalsIgnoreCase("false")) {
      return false;
    }
    if (raw.equalsIgnoreCase("true")) {
      return true;
    }
    throw ApiException.badRequest(name, "'" + raw + "' is not true or false");
  }

  static Long optionalLong(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return null;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name, "'" + raw + "' is not a numeric id");
    }
  }

  /** One of the allowed values, or null when absent. */
  static String oneOf(RoutingContext ctx, String name, List<String> allowed) {
    String raw = ctx.queryParams().get(name);
    if (raw != null && !allowed.contains(raw)) {
      throw ApiException.badRequest(name, "'" + raw + "' is not one of " + allowed);
    }
    return raw;
  }

  /**
   * Every value of a repeatable parameter, each also split at commas; null when absent.
   *
   * @param allowed the values allowed, or null for any non-empty value
   */
  static List<String> list(RoutingContext ctx, String name, List<String> allowed) {
    List<String> raw = ctx.queryParams().getAll(name);
    if (raw.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String value : raw) {
      for (String part : value.split(",", -1)) {
        String item = part.trim();
        if (item.isEmpty() || allowed != null && !allowed.contains(item)) {
          throw ApiException.badRequest(
              name, "'" + item + "' is not " + (allowed == null ? "a name" : "one of " + allowed));
        }
        if (!out.contains(item)) {
          out.add(item);
        }
      }
    }
    return out;
  }

  /** The path's numeric {@code id}. */
  static long id(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("id", "'" + raw + "' is not a numeric id");
    }
  }
}
