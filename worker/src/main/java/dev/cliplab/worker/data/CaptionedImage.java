package dev.cliplab.worker.data;

import java.util.List;
import java.util.Objects;

/**
 * One image and the human-written captions that describe it.
 *
 * @param id the image id of the annotations file
 * @param fileName the image's file name, relative to the split's image folder
 * @param captions the captions, in file order, never empty
 */
public record CaptionedImage(long id, String fileName, List<String> captions) {

  /** Copies the captions so that the record stays immutable. */
  public CaptionedImage {
    Objects.requireNonNull(fileName, "fileName");
    captions = List.copyOf(captions);
  }
}
