package dev.cliplab.worker.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Images stored one per file, under one folder, each with its dataset id. */
public final class ImageFiles implements ImageSource {

  private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);

  private final Path dir;
  private final List<String> ids;
  private final List<String> names;

  private ImageFiles(Path dir, List<String> ids, List<String> names) {
    if (ids.size() != names.size()) {
      throw new IllegalArgumentException(ids.size() + " ids for " + names.size() + " files");
    }
    this.dir = dir;
    this.ids = List.copyOf(ids);
    this.names = List.copyOf(names);
  }

  /**
   * Returns the images of a list of file names.
   *
   * @param dir the folder the names are relative to
   * @param ids each image's id, for messages
   * @param names each image's file name relative to {@code dir}, in index order
   * @return the source
   */
  public static ImageFiles of(Path dir, List<String> ids, List<String> names) {
    return new ImageFiles(dir, ids, names);
  }

  /** Returns the images of captioned images, whose file names are relative to {@code dir}. */
  public static ImageFiles of(Path dir, List<CaptionedImage> images) {
    List<String> ids = new ArrayList<>(images.size());
    List<String> names = new ArrayList<>(images.size());
    for (CaptionedImage image : images) {
      ids.add(Long.toString(image.id()));
      names.add(image.fileName());
    }
    return new ImageFiles(dir, ids, names);
  }

  @Override
  public int count() {
    return ids.size();
  }

  @Override
  public String id(int index) {
    return ids.get(index);
  }

  /** Returns the file of an image: never empty for this source. */
  @Override
  public Optional<Path> file(int index) {
    return Optional.of(path(index));
  }

  /** Returns the path of an image's file. */
  public Path path(int index) {
    return dir.resolve(names.get(index));
  }

  /** Digests each file's name, relative to the folder, and its length. */
  @Override
  public void fingerprint(MessageDigest digest) throws IOException {
    for (int i = 0; i < names.size(); i++) {
      long length;
      try {
        length = Files.size(path(i));
      } catch (NoSuchFileException e) {
        throw new IOException("image " + ids.get(i) + " is missing: " + path(i), e);
      }
      digest.update(names.get(i).getBytes(StandardCharsets.UTF_8));
      digest.update(ByteBuffer.allocate(9).put((byte) 0).putLong(length).array());
    }
  }

  @Override
  public void forEach(Sink sink) throws IOException {
    for (int i = 0; i < names.size(); i++) {
      Path file = path(i);
      sink.accept(i, () -> decode(file));
    }
  }

  /**
   * Decodes an image file with ImageIO.
   *
   * <p>ImageIO decodes a truncated JPEG without complaint, filling the rest with grey, and only
   * warns; such a warning is an error here, since a half-grey image would train silently.
   *
   * @param file the image file
   * @return the decoded image
   * @throws IOException if the file is missing, truncated or in no format ImageIO reads, naming it
   */
  public static BufferedImage decode(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new IOException(file + ": not an image in any format ImageIO reads");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        BufferedImage image = reader.read(0);
        checkWarnings(file, warnings);
        return image;
      } catch (IOException | RuntimeException e) {
        throw new IOException(file + ": cannot decode: " + describe(e), e);
      } finally {
        reader.dispose();
      }
    }
  }

  private static void checkWarnings(Path file, List<String> warnings) throws IOException {
    for (String warning : warnings) {
      String lower = warning.toLowerCase(Locale.ROOT);
      if (lower.contains("truncated") || lower.contains("premature end")) {
        throw new IOException("truncated image data (" + warning + ")");
      }
    }
    if (!warnings.isEmpty()) {
      LOG.warn("Decoded {} despite warnings: {}", file, warnings);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() == null ? message : message + " (" + describe(e.getCause()) + ")";
  }

  @Override
  public String toString() {
    return "ImageFiles[" + dir + ", " + ids.size() + " images]";
  }
}
