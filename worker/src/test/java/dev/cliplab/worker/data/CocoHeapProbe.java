package dev.cliplab.worker.data;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a captions file in a JVM of its own, started with a small heap, and prints what it read:
 * either with {@link CocoCaptions} ({@code stream}) or by building the whole JSON tree first
 * ({@code tree}), the way the reader used to, as a control that the heap is small enough to tell.
 */
final class CocoHeapProbe {

  private CocoHeapProbe() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[1]);
    if (args[0].equals("stream")) {
      List<CaptionedImage> images = CocoCaptions.read(file);
      long captions = images.stream().mapToLong(i -> i.captions().size()).sum();
      System.out.println("images=" + images.size() + " captions=" + captions);
    } else {
      JsonObject root = new JsonObject(Buffer.buffer(Files.readAllBytes(file)));
      System.out.println(
          "images="
              + root.getJsonArray("images").size()
              + " captions="
              + root.getJsonArray("annotations").size());
    }
  }
}
