package dev.cliplab.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST: {@code idx3-ubyte}
 * images and {@code idx1-ubyte} labels, plain or gzip-compressed.
 *
 * <p>A file's magic number and dimensions are checked, and its length against the length they
 * imply, so that a truncated file is an error naming it and the expected size before any image is
 * used. Images are streamed from the file when they are used, never held whole.
 */
public final class IdxFiles {

  /** The file, beside the IDX files, naming the classes one a line in label order. */
  public static final String CLASSES_FILE = "classes.txt";

  private IdxFiles() {}

  /**
   * Opens an {@code idx3-ubyte} images file (count x rows x columns).
   *
   * @param file the file, plain or gzip-compressed
   * @return its images, read when a pass over them runs; each is greyscale, {@code columns} wide
   * @throws IOException if the file is missing, not an IDX file of three dimensions, or truncated
   */
  public static ImageSource images(Path file) throws IOException {
    IdxHeader header;
    try (InputStream in = IdxHeader.open(file)) {
      header = IdxHeader.read(file, in, 3);
    }
    header.checkLength();
    return new IdxImages(header);
  }

  /**
   * Reads an {@code idx1-ubyte} labels file.
   *
   * @param file the file, plain or gzip-compressed
   * @return each record's label, 0 to 255
   * @throws IOException if the file is missing, not an IDX file of one dimension, or truncated
   */
  public static int[] labels(Path file) throws IOException {
    try (InputStream in = IdxHeader.open(file)) {
      IdxHeader header = IdxHeader.read(file, in, 1);
      byte[] bytes = in.readNBytes(header.count());
      if (bytes.length != header.count() || in.read() >= 0) {
        header.checkLength();
      }
      int[] labels = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        labels[i] = bytes[i] & 0xff;
      }
      return labels;
    }
  }

  /**
   * Reads an images file and its labels file as a single-label set.
   *
   * @param imagesFile the {@code idx3-ubyte} file
   * @param labelsFile the {@code idx1-ubyte} file
   * @param classes the class names, in label order
   * @return the set, named after the images file
   * @throws IOException if a file cannot be read, the two count different records, or a label is
   *     not the index of a class, naming the file and record
   */
  public static ClassificationSet read(Path imagesFile, Path labelsFile, List<String> classes)
      throws IOException {
    ImageSource images = images(imagesFile);
    int[] labels = labels(labelsFile);
    if (labels.length != images.count()) {
      throw new IOException(
          labelsFile
              + ": has "
              + labels.length
              + " labels but "
              + imagesFile
              + " has "
              + images.count()
              + " images");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes.size()) {
        throw new IOException(
            labelsFile
                + ": label "
                + labels[i]
                + " of record "
                + i
                + " is not one of the "
                + classes.size()
                + " classes");
      }
    }
    String name = imagesFile.getFileName().toString();
    return ClassificationSet.singleLabel(name, classes, images, labels);
  }

  /**
   * Reads one split of a folder in the MNIST layout: {@code <prefix>-images-idx3-ubyte} and {@code
   * <prefix>-labels-idx1-ubyte}, each with or without {@code .gz}, and the class names from {@code
   * classes.txt} when present, else the labels {@code 0} to {@code 9} as names.
   *
   * @param dir the folder
   * @param prefix the split's prefix: {@code train} or {@code t10k}
   * @return the set
   * @throws IOException if a file is missing or cannot be read, naming it
   */
  public static ClassificationSet readSplit(Path dir, String prefix) throws IOException {
    Path images = find(dir, prefix + "-images-idx3-ubyte");
    Path labels = find(dir, prefix + "-labels-idx1-ubyte");
    Path classesFile = dir.resolve(CLASSES_FILE);
    List<String> classes;
    if (Files.isRegularFile(classesFile)) {
      classes = TextLines.classNames(classesFile);
    } else {
      classes = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        classes.add(Integer.toString(i));
      }
    }
    return read(images, labels, classes);
  }

  private static Path find(Path dir, String name) throws IOException {
    for (String candidate : List.of(name, name + ".gz")) {
      if (Files.isRegularFile(dir.resolve(candidate))) {
        return dir.resolve(candidate);
      }
    }
    throw new IOException(dir + ": has neither " + name + " nor " + name + ".gz");
  }
}
