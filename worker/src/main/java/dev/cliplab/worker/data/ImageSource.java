package dev.cliplab.worker.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Images in a fixed order that a pixel cache can be built from, whether each one is a file or a
 * record inside a larger file.
 *
 * <p>A source is read in one sequential pass ({@link #forEach}), so that a compressed file can be
 * streamed; the images it hands out are decoded by {@link Loader}s that may run on other threads.
 */
public interface ImageSource {

  /** Returns the number of images. */
  int count();

  /**
   * Returns the id of an image, as its dataset names it (a COCO image id, a VOC id, a path in a
   * class-per-folder tree, an index into an IDX file).
   */
  String id(int index);

  /** Returns the file an image is stored in on its own, or empty when it is a record in a file. */
  default Optional<Path> file(int index) {
    return Optional.empty();
  }

  /**
   * Feeds to a digest what identifies the images' content, cheaply (names and sizes, not pixels),
   * so that a pixel cache can tell when it is stale.
   *
   * @throws IOException if an image's file is missing, naming the file and the image id
   */
  void fingerprint(MessageDigest digest) throws IOException;

  /**
   * Hands every image, in index order, to a sink, on the calling thread.
   *
   * @throws IOException if the source cannot be read, or the sink fails
   */
  void forEach(Sink sink) throws IOException;

  /** Receives the images of a pass, one by one. */
  @FunctionalInterface
  interface Sink {

    /**
     * Receives one image.
     *
     * @param index the image's index
     * @param loader decodes it; may be called later and on another thread
     * @throws IOException if the sink fails
     */
    void accept(int index, Loader loader) throws IOException;
  }

  /** Decodes one image. */
  @FunctionalInterface
  interface Loader {

    /**
     * Decodes the image.
     *
     * @throws IOException if it is missing, truncated or not an image, naming where it is stored
     */
    BufferedImage load() throws IOException;
  }
}
