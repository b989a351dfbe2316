package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

  // Counts: the 2, cat 2, sat 2, dog 1, a 1; ids after the three specials by count, then word.
  private static final List<String> CAPTIONS = List.of("The cat sat.", "the DOG sat", "a cat");

  @Test
  @DisplayName("tokenizer lower-cases, joins apostrophes and splits on punctuation")
  void tokenizes() {
    assertThat(Tokenizer.words("  A Grinning-Face, don't STOP!  keycap: #"))
        .containsExactly("a", "grinning", "face", "dont", "stop", "keycap");
    assertThat(Tokenizer.words("Japanese \u201cbargain\u201d button"))
        .containsExactly("japanese", "bargain", "button");
    assertThat(Tokenizer.words("?!")).isEmpty();
  }

  @Test
  @DisplayName("orders words by count, then alphabetically, after the special tokens")
  void buildsDeterministicIds() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);

    assertThat(v.size()).isEqualTo(8);
    assertThat(List.of(v.word(0), v.word(1), v.word(2))).containsExactly("[PAD]", "[UNK]", "[BOS]");
    assertThat(List.of(v.word(3), v.word(4), v.word(5), v.word(6), v.word(7)))
        .containsExactly("cat", "sat", "the", "a", "dog");
  }

  @Test
  @DisplayName("leaves out words rarer than the minimum count")
  void honoursMinCount() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 2);

    assertThat(v.size()).isEqualTo(6);
    assertThat(v.id("dog")).isEqualTo(Vocabulary.UNK);
    assertThat(v.id("the")).isEqualTo(5);
  }

  @Test
  @DisplayName("encodes BOS, word ids with UNK for unknown words, then padding")
  void encodesWithPadding() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);

    assertThat(v.encode("The cat ran", 6)).containsExactly(2, 5, 3, 1, 0, 0);
    assertThat(v.encode("", 3)).containsExactly(2, 0, 0);
  }

  @Test
  @DisplayName("truncates a caption longer than the token budget")
  void encodesWithTruncation() {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);

    assertThat(v.encode("the cat sat a dog", 3)).containsExactly(2, 5, 3);
    assertThat(v.encode("the cat", 1)).containsExactly(2);
  }

  @Test
  @DisplayName("saves one word per line and loads the same ids back")
  void savesAndLoads(@TempDir Path dir) throws IOException {
    Vocabulary v = Vocabulary.build(CAPTIONS, 1);
    Path file = dir.resolve("vocab.txt");

    v.save(file);
    Vocabulary loaded = Vocabulary.load(file);

    assertThat(Files.readAllLines(file))
        .containsExactly("[PAD]", "[UNK]", "[BOS]", "cat", "sat", "the", "a", "dog");
    assertThat(loaded.size()).isEqualTo(8);
    assertThat(loaded.encode("a dog sat", 5)).containsExactly(2, 6, 7, 4, 0);
  }

  @Test
  @DisplayName("refuses a file that does not start with the special tokens")
  void rejectsForeignFile(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("vocab.txt"), List.of("cat", "dog"));

    assertThatThrownBy(() -> Vocabulary.load(file)).isInstanceOf(IOException.class);
  }
}
