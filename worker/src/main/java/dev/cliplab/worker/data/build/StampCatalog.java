package dev.cliplab.worker.data.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Tux Paint stamps package: which stamps have a PNG, and the English sentence that the
 * first line of each stamp's {@code .txt} file gives (the lines after it are translations, {@code
 * de.utf8=Ein Frosch.}). Stamps it cannot use are counted by reason, never dropped unseen.
 */
final class StampCatalog {

  /** Folder of the stamps in the package. */
  static final String ROOT = "usr/share/tuxpaint/stamps/";

  static final String SVG_ONLY = "stamp with only an SVG image";
  static final String ALTERNATE = "stamp image that is the mirrored view of another stamp";
  static final String NO_DESCRIPTION = "stamp image without a description (.txt)";
  static final String NO_IMAGE = "stamp description without an image";
  static final String NO_SENTENCE = "stamp without an English sentence";
  static final String NOT_UTF8 = "stamp whose description is not valid UTF-8";

  private static final Logger LOG = LoggerFactory.getLogger(StampCatalog.class);
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern LETTER = Pattern.compile("\\p{L}");
  // A first line that is itself a translation ("fr.utf8=Une grenouille.") is no English sentence.
  private static final Pattern LOCALE_LINE =
      Pattern.compile("^[a-z]{2,3}(_[A-Z]{2})?(@\\w+)?\\.utf-?8=");
  // Tux Paint shows these instead of the stamp when it is mirrored or flipped.
  private static final Pattern ALTERNATE_VIEW = Pattern.compile("_(mirror|flip|mirror_flip)$");
  // Folder names that start with digits only sort the folder ("00_symbols").
  private static final Pattern SORT_PREFIX = Pattern.compile("^\\d+_");

  /**
   * The usable stamps and their images, read in the same pass, since a stamp's PNG comes before the
   * description that decides whether it is wanted.
   *
   * @param stamps the usable stamps, ordered by key
   * @param images the PNG bytes of each usable stamp, by package path
   */
  record Stamps(List<Stamp> stamps, Map<String, byte[]> images) {}

  /** What the package holds under one stem: its image kinds and description. */
  private static final class Entry {
    String png;
    byte[] pngBytes;
    boolean svg;
    String txtPath;
    byte[] txt;
  }

  private StampCatalog() {}

  /**
   * Reads the stamps.
   *
   * @param pkg the stamps package
   * @param skips where to count the stamps that cannot be used, by reason
   * @return the usable stamps and their images
   * @throws IOException if the package cannot be read or holds one file twice
   */
  static Stamps read(FetchedSource pkg, Tally skips) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    Archives.visit(
        pkg,
        (path, in) -> {
          if (path.startsWith(ROOT)) {
            collect(pkg, path, in, entries);
          }
        });
    List<Stamp> stamps = new ArrayList<>();
    Map<String, byte[]> images = new LinkedHashMap<>();
    entries.forEach(
        (key, e) -> {
          Stamp s = stamp(key, e, entries, skips);
          if (s != null) {
            stamps.add(s);
            images.put(s.image(), e.pngBytes);
          }
        });
    return new Stamps(stamps, images);
  }

  private static void collect(
      FetchedSource pkg, String path, InputStream in, Map<String, Entry> all) throws IOException {
    int dot = path.lastIndexOf('.');
    if (dot < 0) {
      return;
    }
    String key = path.substring(ROOT.length(), dot);
    String ext = path.substring(dot + 1);
    if (!Set.of("png", "svg", "txt").contains(ext)) {
      return;
    }
    Entry e = all.computeIfAbsent(key, k -> new Entry());
    boolean duplicate;
    switch (ext) {
      case "png" -> {
        duplicate = e.png != null;
        e.png = path;
        e.pngBytes = in.readAllBytes();
      }
      case "svg" -> {
        duplicate = e.svg;
        e.svg = true;
      }
      case "txt" -> {
        duplicate = e.txt != null;
        e.txt = in.readAllBytes();
        e.txtPath = path;
      }
      default -> throw new IllegalStateException(ext);
    }
    if (duplicate) {
      throw new IOException(pkg.file() + " holds " + path + " twice (stamp " + key + ")");
    }
  }

  private static Stamp stamp(String key, Entry e, Map<String, Entry> all, Tally skips) {
    if (e.png == null) {
      if (e.svg) {
        skips.add(SVG_ONLY);
      } else if (e.txt != null) {
        skips.add(NO_IMAGE);
      }
      return null;
    }
    if (e.txt == null) {
      skips.add(isAlternate(key, all) ? ALTERNATE : NO_DESCRIPTION);
      return null;
    }
    String text = decode(e.txt);
    if (text == null) {
      LOG.warn("Skipping stamp {}: {} is not valid UTF-8", key, e.txtPath);
      skips.add(NOT_UTF8);
      return null;
    }
    String sentence = sentence(text);
    if (sentence == null) {
      LOG.warn("Skipping stamp {}: the first line of {} is no English sentence", key, e.txtPath);
      skips.add(NO_SENTENCE);
      return null;
    }
    List<String> captions = new ArrayList<>(List.of(sentence));
    String category = category(key);
    if (!category.isEmpty() && !category.equalsIgnoreCase(sentence)) {
      captions.add(category);
    }
    return new Stamp(key, e.png, List.copyOf(captions));
  }

  private static boolean isAlternate(String key, Map<String, Entry> all) {
    String base = ALTERNATE_VIEW.matcher(key).replaceFirst("");
    Entry original = all.get(base);
    return !base.equals(key) && original != null && (original.png != null || original.svg);
  }

  /** Decodes strict UTF-8, without a byte-order mark; null when the bytes are not UTF-8. */
  static String decode(byte[] bytes) {
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return s.startsWith("\uFEFF") ? s.substring(1) : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Returns the description's first line with its spaces normalised, or null if it is none. */
  static String sentence(String text) {
    String first = SPACES.matcher(text.lines().findFirst().orElse("")).replaceAll(" ").strip();
    if (!LETTER.matcher(first).find() || LOCALE_LINE.matcher(first).find()) {
      return null;
    }
    return first;
  }

  /**
   * Returns the folders of a stamp's key as a phrase, the way emoji tags are joined: {@code
   * animals/amphibians/frog} gives "animals, amphibians". The folder names are the stamp authors'
   * own words; only underscores become spaces, sort prefixes go and repeats are left out.
   */
  static String category(String key) {
    int slash = key.lastIndexOf('/');
    if (slash < 0) {
      return "";
    }
    Set<String> parts = new LinkedHashSet<>();
    for (String folder : key.substring(0, slash).split("/")) {
      String words = SORT_PREFIX.matcher(folder).replaceFirst("").replace('_', ' ').strip();
      if (!words.isEmpty()) {
        parts.add(words);
      }
    }
    return String.join(", ", parts);
  }
}
