package dev.cliplab.worker.data;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a caption for a horizontally flipped image: the words "left" and "right" trade places,
 * so that "a left hand" stays true of the mirrored picture.
 */
public final class CaptionFlip {

  // Whole words in the tokenizer's sense: a word is a run of letters, marks and digits, so
  // "leftover" and "rightwards" stay, while "left-handed" and "(right)" swap.
  private static final Pattern SIDE =
      Pattern.compile(
          "(?<![\\p{L}\\p{M}\\p{N}])(left|right)(?![\\p{L}\\p{M}\\p{N}])",
          Pattern.CASE_INSENSITIVE);

  private CaptionFlip() {}

  /**
   * Swaps every whole word "left" with "right" and back, keeping its case: "Left" becomes "Right",
   * "LEFT" becomes "RIGHT"; any other mix of cases becomes lower case.
   *
   * @param caption the caption of the unflipped image
   * @return the caption of the flipped image; the same string when it names no side
   */
  public static String swapLeftRight(String caption) {
    Matcher m = SIDE.matcher(caption);
    if (!m.find()) {
      return caption;
    }
    StringBuilder out = new StringBuilder(caption.length() + 8);
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(swapped(m.group(1))));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }

  private static String swapped(String word) {
    String other = word.equalsIgnoreCase("left") ? "right" : "left";
    if (word.equals(word.toUpperCase(Locale.ROOT))) {
      return other.toUpperCase(Locale.ROOT);
    }
    if (Character.isUpperCase(word.charAt(0))
        && word.substring(1).equals(word.substring(1).toLowerCase(Locale.ROOT))) {
      return Character.toUpperCase(other.charAt(0)) + other.substring(1);
    }
    return other;
  }
}
