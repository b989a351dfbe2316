package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a captions file of COCO train2017's size (118,287 images, 591,753 captions) in a JVM with a
 * heap too small for the file's JSON tree, since a heap limit cannot be set for one test inside the
 * test JVM.
 */
class CocoCaptionsScaleTest {

  static final int IMAGES = 118_287;
  static final int CAPTIONS = 591_753;

  // The 67 MB file streams in a heap of about 120 MB (mostly the 591,753 caption strings kept),
  // while its bytes and JSON tree need about 350 MB; 256 MB sits between the two with room.
  private static final String HEAP = "-Xmx256m";

  @TempDir static Path dir;
  private static Path file;

  @BeforeAll
  static void writeFile() throws IOException {
    file = dir.resolve("captions_train2017.json");
    write(file);
  }

  @Test
  @DisplayName("streams a COCO-sized file within a heap its JSON tree does not fit in")
  void readsCocoSizedFileInSmallHeap() throws Exception {
    Run stream = probe("stream");
    Run tree = probe("tree");

    assertThat(stream.exit()).as(stream.output()).isZero();
    assertThat(stream.output()).contains("images=" + IMAGES + " captions=" + CAPTIONS);
    assertThat(tree.exit()).as(tree.output()).isNotZero();
    assertThat(tree.output()).contains("OutOfMemoryError");
  }

  private record Run(int exit, String output) {}

  private static Run probe(String mode) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CocoHeapProbe.class.getName());
    command.add(mode);
    command.add(file.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    return new Run(process.exitValue(), output);
  }

  // Five captions per image and one more for every 1,000 images and some, as in COCO; each caption
  // a sentence of about 50 characters.
  private static void write(Path file) throws IOException {
    String[] things = {"man", "cat", "train", "plate of food", "giraffe", "bus", "kite", "dog"};
    String[] doing = {"standing next to", "sitting on", "parked near", "flying over", "eating"};
    String[] places = {"a wooden bench", "the city street", "a grassy field", "a kitchen table"};
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("{\"info\":{\"year\":2017},\"images\":[");
      for (int i = 0; i < IMAGES; i++) {
        out.write(i == 0 ? "" : ",");
        out.write("{\"license\":3,\"file_name\":\"" + String.format("%012d.jpg", i + 1));
        out.write("\",\"height\":480,\"width\":640,\"id\":" + (i + 1) + "}");
      }
      out.write("],\"annotations\":[");
      for (int a = 0; a < CAPTIONS; a++) {
        int image = a < IMAGES * 5 ? a / 5 : (a - IMAGES * 5) * 37 % IMAGES;
        String caption =
            "A "
                + things[a % things.length]
                + " "
                + doing[(a / 8) % doing.length]
                + " "
                + places[(a / 40) % places.length]
                + " in picture "
                + a
                + ".";
        out.write(a == 0 ? "" : ",");
        out.write("{\"image_id\":" + (image + 1) + ",\"id\":" + (a + 1));
        out.write(",\"caption\":\"" + caption + "\"}");
      }
      out.write("]}");
    }
  }
}
