package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a COCO captions JSON file ({@code images[{id, file_name, width, height}]}, {@code
 * annotations[{id, image_id, caption}]}).
 *
 * <p>The file is streamed, so reading COCO's 118,000 training images and 590,000 captions takes
 * memory for the captions kept, not for a JSON tree of the whole file. The two arrays may come in
 * either order and other keys, at any level, are skipped.
 *
 * <p>Errors, each naming the file: invalid JSON or UTF-8 (with line, column and byte offset), a
 * missing array or field, a duplicate image id or annotation id, an annotation naming an image that
 * is not listed. Skipped and counted in the {@link CaptionFile}, and logged: an image without any
 * caption (COCO-style files sometimes list images nobody annotated), and a caption that is empty or
 * only whitespace (it says nothing a model could learn, and a converted web corpus has some).
 */
public final class CocoCaptions {

  private static final Logger LOG = LoggerFactory.getLogger(CocoCaptions.class);

  private CocoCaptions() {}

  /**
   * What a captions file held.
   *
   * @param file the file read
   * @param images the images with at least one caption, in the file order of {@code images}, each
   *     with its non-blank captions, stripped, in file order
   * @param listedImages how many images the file lists
   * @param uncaptionedImages how many listed images were skipped for having no non-blank caption
   * @param blankCaptions how many captions were skipped for being empty or only whitespace
   */
  public record CaptionFile(
      Path file,
      List<CaptionedImage> images,
      int listedImages,
      int uncaptionedImages,
      int blankCaptions) {

    /** Copies the images so that the record stays immutable. */
    public CaptionFile {
      images = List.copyOf(images);
    }
  }

  /**
   * Reads the images that have at least one caption, in the file order of {@code images}.
   *
   * @param annotationsJson the annotations file
   * @return the captioned images
   * @throws IOException if the file cannot be read or breaks one of the rules of this class
   * @see #load(Path)
   */
  public static List<CaptionedImage> read(Path annotationsJson) throws IOException {
    return load(annotationsJson).images();
  }

  /**
   * Reads a captions file and reports what was skipped.
   *
   * @param annotationsJson the annotations file
   * @return the captioned images and the counts of what was skipped
   * @throws IOException if the file cannot be read or breaks one of the rules of this class
   */
  public static CaptionFile load(Path annotationsJson) throws IOException {
    CaptionFile read = CocoParser.parse(annotationsJson);
    if (read.uncaptionedImages() > 0 || read.blankCaptions() > 0) {
      LOG.warn(
          "Skipped {} of {} images without any caption and {} blank captions in {}",
          read.uncaptionedImages(),
          read.listedImages(),
          read.blankCaptions(),
          annotationsJson);
    }
    return read;
  }
}
