package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Word vocabulary built from training captions; ids: 0 = [PAD], 1 = [UNK], 2 = [BOS]. */
public final class Vocabulary {

  /** Id of the padding token. */
  public static final int PAD = 0;

  /** Id of the token that stands for any word outside the vocabulary. */
  public static final int UNK = 1;

  /** Id of the token that starts every encoded caption. */
  public static final int BOS = 2;

  private static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[BOS]");

  private final List<String> words;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> words) {
    this.words = List.copyOf(words);
    this.ids = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      ids.put(words.get(i), i);
    }
  }

  /**
   * Builds the vocabulary of the words that occur at least {@code minCount} times; ids follow the
   * special tokens, by count descending, then word ascending, so that a build is reproducible.
   *
   * @param captions the training captions
   * @param minCount the least number of occurrences a word needs, at least 1
   * @return the vocabulary
   */
  public static Vocabulary build(Iterable<String> captions, int minCount) {
    if (minCount < 1) {
      throw new IllegalArgumentException("minCount must be at least 1, was " + minCount);
    }
    Map<String, Integer> counts = new HashMap<>();
    for (String caption : captions) {
      for (String w : Tokenizer.words(caption)) {
        counts.merge(w, 1, Integer::sum);
      }
    }
    List<Map.Entry<String, Integer>> kept = new ArrayList<>();
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() >= minCount && !SPECIALS.contains(e.getKey())) {
        kept.add(e);
      }
    }
    kept.sort(
        Comparator.comparing(Map.Entry<String, Integer>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    List<String> words = new ArrayList<>(SPECIALS);
    kept.forEach(e -> words.add(e.getKey()));
    return new Vocabulary(words);
  }

  /** Returns the number of ids, special tokens included. */
  public int size() {
    return words.size();
  }

  /** Returns the id of a word (as {@link Tokenizer} produces it), or {@link #UNK}. */
  public int id(String word) {
    return ids.getOrDefault(word, UNK);
  }

  /** Returns the word or special token with the given id. */
  public String word(int id) {
    return words.get(id);
  }

  /**
   * Encodes a caption as exactly {@code maxTokens} ids: {@link #BOS}, the word ids ({@link #UNK}
   * for unknown words), then {@link #PAD}; words past the length are dropped.
   *
   * @param caption the caption
   * @param maxTokens the length of the result, at least 1
   * @return the ids
   */
  public int[] encode(String caption, int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
    }
    int[] out = new int[maxTokens];
    Arrays.fill(out, PAD);
    out[0] = BOS;
    int i = 1;
    for (String w : Tokenizer.words(caption)) {
      if (i == maxTokens) {
        break;
      }
      out[i++] = id(w);
    }
    return out;
  }

  /**
   * Writes one word per line, the id being the line number counted from 0.
   *
   * @param file the file to write
   * @throws IOException if it cannot be written
   */
  public void save(Path file) throws IOException {
    Files.write(file, words, StandardCharsets.UTF_8);
  }

  /**
   * Reads a vocabulary written by {@link #save}.
   *
   * @param file the file to read
   * @return the vocabulary
   * @throws IOException if it cannot be read, does not start with the special tokens or repeats a
   *     word
   */
  public static Vocabulary load(Path file) throws IOException {
    List<String> words = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (words.size() < SPECIALS.size() || !words.subList(0, 3).equals(SPECIALS)) {
      throw new IOException(file + ": a vocabulary starts with the lines " + SPECIALS);
    }
    if (words.stream().distinct().count() != words.size()) {
      throw new IOException(file + ": a word appears on more than one line");
    }
    return new Vocabulary(words);
  }
}
