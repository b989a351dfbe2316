package dev.cliplab.worker.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.cliplab.worker.data.CocoCaptions.CaptionFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Streams one COCO captions file with Jackson's parser, keeping only the records it returns. */
final class CocoParser {

  // Thread-safe, and costly enough to create (symbol tables) that one serves every read.
  private static final JsonFactory JSON = new JsonFactory();

  private final Path file;
  private final JsonParser parser;
  private final Map<Long, String> fileNames = new LinkedHashMap<>();
  private final Map<Long, Captions> captions = new LinkedHashMap<>();
  private long[] annotationIds = new long[1024];
  private int annotations;
  private int blankCaptions;
  private boolean sawImages;
  private boolean sawAnnotations;

  private CocoParser(Path file, JsonParser parser) {
    this.file = file;
    this.parser = parser;
  }

  /** Reads a captions file; the rules are those of {@link CocoCaptions}. */
  static CaptionFile parse(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    try (JsonParser parser = JSON.createParser(file.toFile())) {
      return new CocoParser(file, parser).readRoot();
    } catch (JsonProcessingException e) {
      // Jackson reports malformed UTF-8 here too, with where it stopped reading.
      throw new IOException(
          file + ": invalid JSON" + where(e.getLocation()) + ": " + e.getOriginalMessage(), e);
    }
  }

  private CaptionFile readRoot() throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw error("not a JSON object");
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      if (key.equals("images")) {
        sawImages = once(sawImages, key);
        readArray(value, key, this::readImage);
      } else if (key.equals("annotations")) {
        sawAnnotations = once(sawAnnotations, key);
        readArray(value, key, this::readAnnotation);
      } else {
        parser.skipChildren();
      }
    }
    if (parser.nextToken() != null) {
      throw error("has content after its top-level object");
    }
    if (!sawImages || !sawAnnotations) {
      throw new IOException(
          file + ": missing array '" + (sawImages ? "annotations" : "images") + "'");
    }
    checkAnnotationIds();
    return join();
  }

  private boolean once(boolean seen, String key) throws IOException {
    if (seen) {
      throw error("'" + key + "' appears twice");
    }
    return true;
  }

  private void readArray(JsonToken first, String key, ElementReader element) throws IOException {
    if (first != JsonToken.START_ARRAY) {
      throw error("'" + key + "' is not an array");
    }
    for (int index = 0; parser.nextToken() != JsonToken.END_ARRAY; index++) {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw error(key + "[" + index + "] is not an object");
      }
      element.read(index);
    }
  }

  private void readImage(int index) throws IOException {
    Long id = null;
    String name = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> id = integer(value);
        case "file_name" -> name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        default -> parser.skipChildren();
      }
    }
    if (id == null) {
      throw error("images[" + index + "] has no integer 'id'");
    }
    if (name == null || name.isBlank()) {
      throw error("image " + id + " has no file_name");
    }
    if (fileNames.putIfAbsent(id, name) != null) {
      throw error("duplicate image id " + id);
    }
  }

  private void readAnnotation(int index) throws IOException {
    Long id = null;
    Long imageId = null;
    String caption = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "id" -> id = integer(value);
        case "image_id" -> imageId = integer(value);
        case "caption" -> caption = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        default -> parser.skipChildren();
      }
    }
    if (id == null) {
      throw error("annotations[" + index + "] has no integer 'id'");
    }
    if (imageId == null) {
      throw error("annotation " + id + " has no integer 'image_id'");
    }
    if (caption == null) {
      throw error("annotation " + id + " of image " + imageId + " has no string 'caption'");
    }
    add(id, imageId, caption);
  }

  private void add(long id, long imageId, String caption) {
    if (annotations == annotationIds.length) {
      annotationIds = Arrays.copyOf(annotationIds, annotations * 2);
    }
    annotationIds[annotations++] = id;
    // Kept even when the caption is blank, so that an unknown image is reported all the same.
    Captions of = captions.computeIfAbsent(imageId, k -> new Captions(id));
    String stripped = caption.strip();
    if (stripped.isEmpty()) {
      blankCaptions++;
    } else {
      of.texts.add(stripped);
    }
  }

  private Long integer(JsonToken value) throws IOException {
    return value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : null;
  }

  private void checkAnnotationIds() throws IOException {
    long[] sorted = Arrays.copyOf(annotationIds, annotations);
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IOException(file + ": duplicate annotation id " + sorted[i]);
      }
    }
  }

  private CaptionFile join() throws IOException {
    for (Map.Entry<Long, Captions> e : captions.entrySet()) {
      if (!fileNames.containsKey(e.getKey())) {
        throw new IOException(
            file
                + ": annotation "
                + e.getValue().firstAnnotation
                + " names unknown image "
                + e.getKey());
      }
    }
    List<CaptionedImage> images = new ArrayList<>(fileNames.size());
    for (Map.Entry<Long, String> e : fileNames.entrySet()) {
      Captions c = captions.get(e.getKey());
      if (c != null && !c.texts.isEmpty()) {
        images.add(new CaptionedImage(e.getKey(), e.getValue(), c.texts));
      }
    }
    return new CaptionFile(
        file, images, fileNames.size(), fileNames.size() - images.size(), blankCaptions);
  }

  private IOException error(String message) {
    return new IOException(file + where(parser.currentTokenLocation()) + ": " + message);
  }

  private static String where(JsonLocation at) {
    if (at == null || at.getLineNr() < 0) {
      return "";
    }
    return " (line "
        + at.getLineNr()
        + ", column "
        + at.getColumnNr()
        + ", near byte "
        + at.getByteOffset()
        + ")";
  }

  /** Reads the object at the parser's current position, the index-th of its array. */
  @FunctionalInterface
  private interface ElementReader {
    void read(int index) throws IOException;
  }

  /** The captions of one image, and the first annotation that named it, for messages. */
  private static final class Captions {
    final long firstAnnotation;
    final List<String> texts = new ArrayList<>(5);

    Captions(long firstAnnotation) {
      this.firstAnnotation = firstAnnotation;
    }
  }
}
