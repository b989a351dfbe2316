package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextLinesTest {

  @TempDir Path dir;

  @Test
  @DisplayName("splits on LF and CRLF and drops a byte-order mark")
  void readsLines() throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "\uFEFFone\r\ntwo\n\nthree");

    assertThat(TextLines.read(file)).containsExactly("one", "two", "", "three");
  }

  @Test
  @DisplayName("reads class names in order, ignoring trailing blank lines")
  void readsClassNames() throws IOException {
    Path file = Files.writeString(dir.resolve("classes.txt"), "T-shirt/top\n Ankle boot \n\n\n");

    assertThat(TextLines.classNames(file)).containsExactly("T-shirt/top", "Ankle boot");
  }

  @Test
  @DisplayName("names the line of a blank or repeated class name, which would shift the labels")
  void rejectsBadClassNames() throws IOException {
    Path blank = Files.writeString(dir.resolve("blank.txt"), "a\n\nb\n");
    assertThatThrownBy(() -> TextLines.classNames(blank))
        .hasMessageContaining(blank + ":2: blank class name");

    Path twice = Files.writeString(dir.resolve("twice.txt"), "a\nb\na\n");
    assertThatThrownBy(() -> TextLines.classNames(twice))
        .hasMessageContaining(twice + ":3: class 'a' repeats line 1");

    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
    assertThatThrownBy(() -> TextLines.classNames(empty)).hasMessageContaining("names no class");
  }

  @Test
  @DisplayName("names the line and byte offset of a truncated UTF-8 sequence and of a surrogate")
  void rejectsInvalidUtf8() throws IOException {
    Path cut = Files.write(dir.resolve("cut.txt"), new byte[] {'a', '\n', 'b', (byte) 0xc3});
    assertThatThrownBy(() -> TextLines.read(cut))
        .hasMessageContaining(cut + ":2: invalid UTF-8 at byte offset 3");

    // U+D800 encoded as if it were a character: ED A0 80, which UTF-8 forbids.
    Path surrogate =
        Files.write(dir.resolve("s.txt"), new byte[] {'x', (byte) 0xed, (byte) 0xa0, (byte) 0x80});
    assertThatThrownBy(() -> TextLines.read(surrogate))
        .hasMessageContaining(surrogate + ":1: invalid UTF-8 at byte offset 1");
  }
}
