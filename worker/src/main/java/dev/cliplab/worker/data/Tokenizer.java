package dev.cliplab.worker.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Lower-cases, strips punctuation, splits on whitespace. */
public final class Tokenizer {

  // Apostrophes join a word ("don't" -> "dont") as in the paper's preprocessing, while every other
  // non-word character separates words, so that "face,grin" and "flag: Japan" still split.
  private static final Pattern APOSTROPHES = Pattern.compile("['\u2019]");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");

  private Tokenizer() {}

  /**
   * Splits a caption into words: lower-cased (root locale), apostrophes removed, every other
   * character that is not a letter, mark or digit treated as a space.
   *
   * @param caption the caption
   * @return the words, possibly empty
   */
  public static List<String> words(String caption) {
    String lower = caption.toLowerCase(Locale.ROOT);
    String joined = APOSTROPHES.matcher(lower).replaceAll("");
    List<String> words = new ArrayList<>();
    for (String w : NON_WORD.split(joined)) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
