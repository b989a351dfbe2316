package dev.cliplab.orchestrator.sweep;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * The identity of a trial's parameters: SHA-256 over a canonical text in which keys are sorted and
 * numbers are written without trailing zeros, so {@code {"a":1,"b":2.50}} and {@code
 * {"b":2.5,"a":1.0}} are the same point.
 */
public final class ParamsHash {

  private ParamsHash() {}

  /** The hex SHA-256 of {@link #canonical(Object)}. */
  public static String of(JsonObject params) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha.digest(canonical(params).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The canonical text of a JSON value. */
  public static String canonical(Object value) {
    if (value instanceof JsonObject object) {
      StringBuilder out = new StringBuilder("{");
      for (String key : new TreeSet<>(object.fieldNames())) {
        if (out.length() > 1) {
          out.append(',');
        }
        out.append(scalar(key)).append(':').append(canonical(object.getValue(key)));
      }
      return out.append('}').toString();
    }
    if (value instanceof JsonArray array) {
      StringBuilder out = new StringBuilder("[");
      for (int i = 0; i < array.size(); i++) {
        out.append(i > 0 ? "," : "").append(canonical(array.getValue(i)));
      }
      return out.append(']').toString();
    }
    if (value instanceof Number number) {
      BigDecimal decimal = new BigDecimal(number.toString()).stripTrailingZeros();
      return decimal.signum() == 0 ? "0" : decimal.toPlainString();
    }
    return scalar(value);
  }

  /** A string, boolean or null written as JSON would write it. */
  private static String scalar(Object value) {
    String encoded = new JsonArray().add(value).encode();
    return encoded.substring(1, encoded.length() - 1);
  }
}
