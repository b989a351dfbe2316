package dev.cliplab.worker.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a YAML or JSON document (JSON is read as YAML 1.2, of which it is a subset) into a Vert.x
 * {@link JsonObject}, refusing what JSON cannot hold and what a person probably did not mean: a key
 * given twice, a key that is not a string, a document that is not a mapping.
 */
public final class ConfigFiles {

  private ConfigFiles() {}

  /**
   * Reads a file.
   *
   * @param file a {@code .yaml}, {@code .yml} or {@code .json} file (the extension is not checked)
   * @return the document's top-level mapping
   * @throws IOException naming the file, and the line and column where known, when it cannot be
   *     read, is not UTF-8, does not parse, or breaks one of the rules above
   */
  public static JsonObject read(Path file) throws IOException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not UTF-8 text", e);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a document.
   *
   * @param text YAML or JSON
   * @return the document's top-level mapping
   * @throws IllegalArgumentException saying what is wrong and where
   */
  public static JsonObject parse(String text) {
    LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(false).build();
    Object document;
    try {
      document = new Load(settings).loadFromString(text);
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException(e.getMessage().strip(), e);
    }
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException(
          "expected a mapping of keys to values at the top level, found "
              + (document == null ? "an empty document" : describe(document)));
    }
    return object(map, "");
  }

  private static JsonObject object(Map<?, ?> map, String path) {
    JsonObject json = new JsonObject();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException(
            "key " + e.getKey() + " at " + where(path) + " is not a string");
      }
      json.put(key, value(e.getValue(), path.isEmpty() ? key : path + "." + key));
    }
    return json;
  }

  private static Object value(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      return object(map, path);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(value(list.get(i), path + "[" + i + "]"));
      }
      return array;
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() >= 64) {
        throw new IllegalArgumentException(path + ": integer " + big + " is too large");
      }
      return big.longValue();
    }
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Number) {
      return value;
    }
    throw new IllegalArgumentException(path + ": unsupported value " + describe(value));
  }

  private static String where(String path) {
    return path.isEmpty() ? "the top level" : path;
  }

  private static String describe(Object value) {
    return value instanceof List<?>
        ? "a list"
        : "the " + value.getClass().getSimpleName() + " " + value;
  }
}
