package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Strict UTF-8 reading of the small text files of the dataset layouts (lists, class names). */
final class TextLines {

  private TextLines() {}

  /**
   * Reads a file's lines, without line terminators ({@code \n} or {@code \r\n}) and without a
   * leading byte-order mark.
   *
   * @throws IOException if the file is missing or is not valid UTF-8, naming the file, the line and
   *     the byte offset of the first bad byte
   */
  static List<String> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    String text = decode(file, bytes);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end < 0 ? text.length() : end + 1;
      int stop = end < 0 ? text.length() : end;
      if (stop > start && text.charAt(stop - 1) == '\r') {
        stop--;
      }
      lines.add(text.substring(start, stop));
      start = next;
    }
    return lines;
  }

  /**
   * Reads a list of class names, one per line in label order: trailing blank lines are ignored, a
   * blank line before the last name or a repeated name is an error naming the file and line.
   */
  static List<String> classNames(Path file) throws IOException {
    List<String> lines = read(file);
    int last = lines.size();
    while (last > 0 && lines.get(last - 1).isBlank()) {
      last--;
    }
    List<String> names = new ArrayList<>(last);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < last; i++) {
      String name = lines.get(i).strip();
      if (name.isEmpty()) {
        throw new IOException(file + ":" + (i + 1) + ": blank class name");
      }
      Integer first = seen.putIfAbsent(name, i + 1);
      if (first != null) {
        throw new IOException(
            file + ":" + (i + 1) + ": class '" + name + "' repeats line " + first);
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new IOException(file + ": names no class");
    }
    return names;
  }

  private static String decode(Path file, byte[] bytes) throws IOException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int offset = in.position();
      throw new IOException(
          file + ":" + lineAt(bytes, offset) + ": invalid UTF-8 at byte offset " + offset);
    }
    return out.flip().toString();
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
