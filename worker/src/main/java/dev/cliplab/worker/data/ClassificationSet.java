package dev.cliplab.worker.data;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image set for the classification transfer tasks: class names, the images, and each
 * image's label (single-label sets such as ImageNet or Fashion-MNIST) or labels (multi-label sets
 * such as VOC, where each class is present, absent or difficult).
 */
public final class ClassificationSet {

  /** The multi-label value of a class shown in an image. */
  public static final int PRESENT = 1;

  /** The multi-label value of a class not shown in an image. */
  public static final int ABSENT = -1;

  /** The multi-label value of a class shown only in a way VOC marks difficult. */
  public static final int DIFFICULT = 0;

  private final String name;
  private final List<String> classes;
  private final ImageSource images;
  private final int[] labels;
  private final byte[] matrix;

  private ClassificationSet(
      String name, List<String> classes, ImageSource images, int[] labels, byte[] matrix) {
    this.name = Objects.requireNonNull(name, "name");
    this.classes = List.copyOf(classes);
    this.images = Objects.requireNonNull(images, "images");
    this.labels = labels;
    this.matrix = matrix;
    if (classes.isEmpty() || new HashSet<>(classes).size() != classes.size()) {
      throw new IllegalArgumentException(name + ": class names must be distinct and not empty");
    }
  }

  /**
   * Creates a set where each image belongs to exactly one class.
   *
   * @param name the set's name, for messages
   * @param classes the class names; a label is an index into this list
   * @param images the images
   * @param labels the class index of each image, in image order
   * @return the set
   */
  public static ClassificationSet singleLabel(
      String name, List<String> classes, ImageSource images, int[] labels) {
    if (labels.length != images.count()) {
      throw new IllegalArgumentException(
          name + ": " + labels.length + " labels for " + images.count() + " images");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes.size()) {
        throw new IllegalArgumentException(
            name + ": label " + labels[i] + " of image " + images.id(i) + " is not a class");
      }
    }
    return new ClassificationSet(name, classes, images, labels.clone(), null);
  }

  /**
   * Creates a set where each image has a value per class: {@link #PRESENT}, {@link #ABSENT} or
   * {@link #DIFFICULT}.
   *
   * @param name the set's name, for messages
   * @param classes the class names
   * @param images the images
   * @param matrix the values, image-major: image {@code i}, class {@code c} at {@code i * classes +
   *     c}
   * @return the set
   */
  public static ClassificationSet multiLabel(
      String name, List<String> classes, ImageSource images, byte[] matrix) {
    if (matrix.length != (long) images.count() * classes.size()) {
      throw new IllegalArgumentException(
          name + ": " + matrix.length + " values for " + images.count() + " images");
    }
    for (int i = 0; i < matrix.length; i++) {
      if (matrix[i] < ABSENT || matrix[i] > PRESENT) {
        throw new IllegalArgumentException(
            name + ": value " + matrix[i] + " of image " + images.id(i / classes.size()));
      }
    }
    return new ClassificationSet(name, classes, images, null, matrix.clone());
  }

  /** Returns the set's name. */
  public String name() {
    return name;
  }

  /** Returns the class names, in label order. */
  public List<String> classes() {
    return classes;
  }

  /** Returns the images, whose pixels a {@link PixelCache} can hold. */
  public ImageSource images() {
    return images;
  }

  /** Returns the number of images. */
  public int size() {
    return images.count();
  }

  /** Tells whether an image may have several classes (a VOC-style set). */
  public boolean isMultiLabel() {
    return matrix != null;
  }

  /**
   * Returns the class index of an image of a single-label set.
   *
   * @throws IllegalStateException if the set is multi-label
   */
  public int label(int image) {
    if (labels == null) {
      throw new IllegalStateException(name + " is multi-label: ask label(image, class)");
    }
    return labels[image];
  }

  /**
   * Returns whether a class is {@link #PRESENT}, {@link #ABSENT} or {@link #DIFFICULT} in an image;
   * in a single-label set, the image's own class is present and every other absent.
   */
  public int label(int image, int classIndex) {
    Objects.checkIndex(classIndex, classes.size());
    if (matrix == null) {
      return labels[image] == classIndex ? PRESENT : ABSENT;
    }
    Objects.checkIndex(image, images.count());
    return matrix[image * classes.size() + classIndex];
  }

  @Override
  public String toString() {
    return "ClassificationSet["
        + name
        + ", "
        + size()
        + " images, "
        + classes.size()
        + " classes"
        + (isMultiLabel() ? ", multi-label]" : "]");
  }
}
