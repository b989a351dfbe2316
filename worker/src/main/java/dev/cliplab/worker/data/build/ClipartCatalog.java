package dev.cliplab.worker.data.build;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLStreamException;

/**
 * Captions of the openclipart drawings, read from the metadata of the SVG package and keyed by the
 * drawing's path, which the PNG package repeats.
 */
final class ClipartCatalog {

  /** Folder of the drawings in the SVG package. */
  static final String SVG_ROOT = "usr/share/openclipart/svg/";

  /** Folder of the drawings in the PNG package. */
  static final String PNG_ROOT = "usr/share/openclipart/png/";

  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern LETTER = Pattern.compile("\\p{L}");
  // Descriptions that only restate the licence say nothing about the picture.
  private static final Pattern LICENCE_TEXT =
      Pattern.compile("(?i)public domain|creative ?commons|licen[cs]e");
  // Addresses are contact details or provenance, not words about the picture.
  private static final Pattern ADDRESS = Pattern.compile("(?i)https?://|www\\.|\\S+@\\S+\\.\\w+");
  private static final Set<String> EMPTY_KEYWORDS = Set.of("unsorted", "clip art", "clipart");
  // A tagging tool once wrote Perl references ("hash(0x8c82364)") instead of keywords.
  private static final Pattern TOOL_KEYWORD = Pattern.compile("(?i)hash(\\(0x\\p{XDigit}+\\))?");
  private static final Pattern ENTITY =
      Pattern.compile("&(amp|lt|gt|quot|apos|#\\d+|#x\\p{XDigit}+);");

  private ClipartCatalog() {}

  /**
   * Reads the SVG package and returns each drawing's captions by key (its path below the root,
   * without extension): empty when none is usable, null when the metadata does not parse. Linked
   * copies get their target's captions.
   */
  static Map<String, List<String>> read(FetchedSource svgPackage) throws IOException {
    Map<String, List<String>> captions = new TreeMap<>();
    Map<String, String> links = new HashMap<>();
    Archives.visit(
        svgPackage,
        new Archives.Visitor() {
          @Override
          public void file(String path, InputStream in) throws IOException {
            String key = key(path, SVG_ROOT, ".svg");
            if (key != null) {
              captions.put(key, parse(in.readAllBytes()));
            }
          }

          @Override
          public void link(String path, String target) {
            String key = key(path, SVG_ROOT, ".svg");
            String resolved = Archives.resolveLink(path, target);
            String targetKey = resolved == null ? null : key(resolved, SVG_ROOT, ".svg");
            if (key != null && targetKey != null) {
              links.put(key, targetKey);
            }
          }
        });
    links.forEach(
        (key, target) -> {
          if (!captions.containsKey(key) && captions.containsKey(target)) {
            captions.put(key, captions.get(target));
          }
        });
    return captions;
  }

  /** Returns the key of a drawing's path in a package, or null if it is not a drawing. */
  static String key(String path, String root, String extension) {
    if (!path.startsWith(root) || !path.endsWith(extension)) {
      return null;
    }
    return path.substring(root.length(), path.length() - extension.length());
  }

  private static List<String> parse(byte[] svg) {
    try {
      return captions(SvgMetadata.parse(svg));
    } catch (XMLStreamException e) {
      return null;
    }
  }

  /**
   * Returns a drawing's captions: its title, its description unless it repeats the title, states
   * the licence or gives an address, and its keywords as a phrase without the author's name and
   * tool artefacts.
   */
  static List<String> captions(SvgMetadata m) {
    Set<String> captions = new LinkedHashSet<>();
    String title = clean(m.title());
    if (usable(title) && !ADDRESS.matcher(title).find()) {
      captions.add(title);
    }
    String description = clean(m.description());
    if (usable(description)
        && !description.equalsIgnoreCase(title)
        && !LICENCE_TEXT.matcher(description).find()
        && !ADDRESS.matcher(description).find()) {
      captions.add(description);
    }
    String creator = clean(m.creator()).toLowerCase(Locale.ROOT);
    Set<String> keywords = new LinkedHashSet<>();
    for (String k : m.keywords()) {
      String kw = clean(k);
      String lower = kw.toLowerCase(Locale.ROOT);
      if (usable(kw)
          && !lower.equals(creator)
          && !EMPTY_KEYWORDS.contains(lower)
          && !TOOL_KEYWORD.matcher(kw).matches()) {
        keywords.add(kw);
      }
    }
    if (!keywords.isEmpty()) {
      captions.add(String.join(", ", keywords));
    }
    return new ArrayList<>(captions);
  }

  // Some titles were escaped twice on their way into the SVG, so "&amp;" survives XML parsing.
  static String clean(String s) {
    String unescaped =
        ENTITY.matcher(s).replaceAll(m -> Matcher.quoteReplacement(entity(m.group(1))));
    return SPACES.matcher(unescaped).replaceAll(" ").strip();
  }

  private static String entity(String name) {
    return switch (name) {
      case "amp" -> "&";
      case "lt" -> "<";
      case "gt" -> ">";
      case "quot" -> "\"";
      case "apos" -> "'";
      default ->
          Character.toString(
              name.startsWith("#x")
                  ? Integer.parseInt(name.substring(2), 16)
                  : Integer.parseInt(name.substring(1)));
    };
  }

  private static boolean usable(String s) {
    return LETTER.matcher(s).find();
  }
}
