package dev.cliplab.worker.data.build;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Joins emoji-datasource's {@code emoji.json} (images per vendor) with emojibase's English data
 * (label, tags, group) by code points, keeping base emoji outside the component group.
 */
final class EmojiCatalog {

  private static final String COMPONENT_GROUP = "component";

  /**
   * The zero-shot class name of each emojibase group: its English message with every word in the
   * singular, the form the captions use ("flag: Japan", "dog"), so that the prompts hit words the
   * vocabulary knows; CLIP curates class names for its prompts the same way. A group that is not
   * listed keeps emojibase's message.
   */
  private static final Map<String, String> CLASS_NAMES =
      Map.of(
          "smileys-emotion", "smiley & emotion",
          "people-body", "person & body",
          "animals-nature", "animal & nature",
          "food-drink", "food & drink",
          "travel-places", "travel & place",
          "activities", "activity",
          "objects", "object",
          "symbols", "symbol",
          "flags", "flag");

  private EmojiCatalog() {}

  /**
   * Reads the catalog.
   *
   * @param emojibase the emojibase-data package
   * @param datasource any emoji-datasource package; all carry the same {@code emoji.json}, with
   *     every vendor's {@code has_img_} flags
   * @param vendors the vendor styles whose flags to keep
   * @param skips where to count the emoji left out, by reason
   * @return the emoji in emoji-datasource's sort order
   */
  static List<Emoji> read(
      FetchedSource emojibase, FetchedSource datasource, List<String> vendors, Tally skips)
      throws IOException {
    Map<String, byte[]> base = Archives.readFiles(emojibase, "en/data.json", "en/messages.json");
    Map<String, byte[]> data = Archives.readFiles(datasource, "emoji.json");
    Map<String, JsonObject> byHexcode = new HashMap<>();
    for (JsonObject e : objects(emojibase, "en/data.json", base.get("en/data.json"))) {
      String hexcode = e.getString("hexcode");
      if (byHexcode.put(hexcode, e) != null) {
        throw duplicate(emojibase, "en/data.json", hexcode);
      }
    }
    Map<Integer, String> groups =
        groupNames(parse(emojibase, "en/messages.json", base.get("en/messages.json")));
    List<Emoji> emoji = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonObject e : objects(datasource, "emoji.json", data.get("emoji.json"))) {
      if (!seen.add(e.getString("unified"))) {
        throw duplicate(datasource, "emoji.json", e.getString("unified"));
      }
      JsonObject label = byHexcode.get(e.getString("unified"));
      if (label == null && e.getString("non_qualified") != null) {
        label = byHexcode.get(e.getString("non_qualified"));
      }
      Emoji joined = join(e, label, groups, vendors, skips);
      if (joined != null) {
        emoji.add(joined);
      }
    }
    emoji.sort(Comparator.comparingInt(Emoji::sortOrder));
    return emoji;
  }

  private static Emoji join(
      JsonObject e,
      JsonObject label,
      Map<Integer, String> groups,
      List<String> vendors,
      Tally skips) {
    if (label == null || label.getInteger("group") == null) {
      skips.add("emoji without an emojibase label or group");
      return null;
    }
    if (label.getString("label", "").isBlank()) {
      skips.add("emoji whose emojibase label is blank");
      return null;
    }
    String group = groups.get(label.getInteger("group"));
    if (group == null || group.equals(COMPONENT_GROUP)) {
      skips.add("emoji in the component group");
      return null;
    }
    Set<String> has = new LinkedHashSet<>();
    for (String v : vendors) {
      if (e.getBoolean("has_img_" + v, false)) {
        has.add(v);
      }
    }
    List<String> tags = new ArrayList<>();
    for (Object t : label.getJsonArray("tags", new JsonArray())) {
      if (t == null || t.toString().isBlank()) {
        skips.add("blank emojibase keyword tag (the tag, not the emoji, left out)");
      } else {
        tags.add(t.toString().strip());
      }
    }
    return new Emoji(
        e.getString("unified"),
        e.getString("image"),
        e.getInteger("sort_order", Integer.MAX_VALUE),
        e.getString("name", ""),
        label.getString("label").strip(),
        tags,
        group,
        label.getInteger("group"),
        has);
  }

  private static JsonObject parse(FetchedSource pkg, String path, byte[] bytes) throws IOException {
    try {
      return new JsonObject(Buffer.buffer(bytes));
    } catch (DecodeException | ClassCastException e) {
      throw notJson(pkg, path, e);
    }
  }

  // Malformed UTF-8 inside a string fails here too: Jackson checks every multi-byte sequence.
  private static List<JsonObject> objects(FetchedSource pkg, String path, byte[] bytes)
      throws IOException {
    try {
      List<JsonObject> objects = new ArrayList<>();
      for (Object o : new JsonArray(Buffer.buffer(bytes))) {
        objects.add((JsonObject) o);
      }
      return objects;
    } catch (DecodeException | ClassCastException e) {
      throw notJson(pkg, path, e);
    }
  }

  private static IOException notJson(FetchedSource pkg, String path, RuntimeException e) {
    return new IOException(
        pkg.file().getFileName()
            + ": "
            + path
            + " is not valid UTF-8 JSON of the expected shape: "
            + e.getMessage(),
        e);
  }

  private static IOException duplicate(FetchedSource pkg, String path, String hexcode) {
    return new IOException(
        pkg.file().getFileName() + ": " + path + " lists emoji " + hexcode + " twice");
  }

  // The group's key tells the component group apart whatever its English message says.
  private static Map<Integer, String> groupNames(JsonObject messages) {
    Map<Integer, String> names = new HashMap<>();
    for (Object o : messages.getJsonArray("groups")) {
      JsonObject g = (JsonObject) o;
      String key = g.getString("key");
      String name = key.equals(COMPONENT_GROUP) ? key : g.getString("message");
      names.put(g.getInteger("order"), CLASS_NAMES.getOrDefault(key, name));
    }
    return names;
  }
}
