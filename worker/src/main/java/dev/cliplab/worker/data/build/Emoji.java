package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One base emoji with the words its sources give it.
 *
 * @param hexcode the code points, as emoji-datasource spells them ({@code 1F600})
 * @param image the image file name in each vendor's folder ({@code 1f600.png})
 * @param sortOrder emoji-datasource's order, which keeps related emoji together
 * @param name emoji-datasource's Unicode name ({@code GRINNING FACE})
 * @param label emojibase's label ({@code grinning face})
 * @param tags emojibase's keyword tags
 * @param group emojibase's group name ({@code smileys & emotion})
 * @param groupOrder emojibase's position of the group
 * @param vendors the vendor styles that have their own image of it
 */
record Emoji(
    String hexcode,
    String image,
    int sortOrder,
    String name,
    String label,
    List<String> tags,
    String group,
    int groupOrder,
    Set<String> vendors) {

  /**
   * Returns the captions: the label, the label in a sentence, the tags as a phrase, and the Unicode
   * name when its words differ from the label's.
   */
  List<String> captions() {
    List<String> captions = new ArrayList<>();
    captions.add(label);
    captions.add("an emoji of " + article(label) + " " + label);
    if (!tags.isEmpty()) {
      captions.add(String.join(", ", tags));
    }
    String lowerName = name.toLowerCase(Locale.ROOT);
    if (!name.isBlank() && !Tokenizer.words(lowerName).equals(Tokenizer.words(label))) {
      captions.add(lowerName);
    }
    return List.copyOf(new LinkedHashSet<>(captions));
  }

  private static String article(String words) {
    char first = Character.toLowerCase(words.charAt(0));
    return "aeiou".indexOf(first) >= 0 ? "an" : "a";
  }
}
