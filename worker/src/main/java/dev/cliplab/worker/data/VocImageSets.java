package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the classification lists of a Pascal VOC-style folder: {@code JPEGImages/<id>.jpg} (or
 * {@code .png}), {@code ImageSets/Main/<split>.txt} with one image id a line, and {@code
 * ImageSets/Main/<class>_<split>.txt} with lines {@code <id> <label>}, the label 1 (present), -1
 * (absent) or 0 (difficult).
 *
 * <p>Blank lines are ignored. Every other mistake is an error naming the file and line: a label
 * other than 1, -1 or 0, an id in a class file that is not in the split's list or is there twice,
 * an id of the split that a class file leaves out, an id with no image.
 */
public final class VocImageSets {

  /** The optional file, at the root, that lists the class names, one a line. */
  public static final String CLASSES_FILE = "classes.txt";

  private VocImageSets() {}

  /**
   * Returns the class names: those of {@code classes.txt} at the root, in its order, when there is
   * one, else the {@code <class>} of every {@code ImageSets/Main/<class>_trainval.txt}, sorted.
   *
   * @param root the VOC folder (the one holding {@code JPEGImages} and {@code ImageSets})
   * @return the class names
   * @throws IOException if there is no class list, naming the folder searched
   */
  public static List<String> classes(Path root) throws IOException {
    Path listed = root.resolve(CLASSES_FILE);
    if (Files.isRegularFile(listed)) {
      return TextLines.classNames(listed);
    }
    String suffix = "_trainval.txt";
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(main(root), "*" + suffix)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        names.add(name.substring(0, name.length() - suffix.length()));
      }
    } catch (IOException e) {
      throw new IOException(main(root) + ": cannot list the class files: " + e, e);
    }
    if (names.isEmpty()) {
      throw new IOException(
          root + ": neither " + CLASSES_FILE + " nor any " + main(root) + "/<class>" + suffix);
    }
    names.sort(null);
    return names;
  }

  /**
   * Reads one split as a multi-label set: its images in the order of {@code <split>.txt} and, per
   * class, each image's label.
   *
   * @param root the VOC folder
   * @param split the split, such as {@code trainval} or {@code test}
   * @return the set, named {@code <root folder>/<split>}, whose images are {@link ImageFiles}
   * @throws IOException if a file is missing, is not UTF-8 or breaks the format, naming file and
   *     line
   */
  public static ClassificationSet read(Path root, String split) throws IOException {
    List<String> classes = classes(root);
    SplitList list = SplitList.read(main(root).resolve(split + ".txt"));
    byte[] matrix = new byte[list.size() * classes.size()];
    for (int c = 0; c < classes.size(); c++) {
      Path classFile = main(root).resolve(classes.get(c) + "_" + split + ".txt");
      byte[] column = readClassFile(classFile, list);
      for (int i = 0; i < column.length; i++) {
        matrix[i * classes.size() + c] = column[i];
      }
    }
    ImageFiles images =
        ImageFiles.of(root.resolve("JPEGImages"), list.ids(), imageNames(root, list));
    return ClassificationSet.multiLabel(root.getFileName() + "/" + split, classes, images, matrix);
  }

  private static Path main(Path root) {
    return root.resolve("ImageSets").resolve("Main");
  }

  // Returns one class's label of every image of the split, each of which must appear once.
  private static byte[] readClassFile(Path classFile, SplitList list) throws IOException {
    List<String> lines = TextLines.read(classFile);
    byte[] column = new byte[list.size()];
    int[] seenAt = new int[list.size()];
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = fields(lines.get(i));
      if (fields.length == 0) {
        continue;
      }
      String where = classFile + ":" + (i + 1) + ": ";
      if (fields.length != 2) {
        throw new IOException(where + "expected '<id> <label>', found: " + lines.get(i));
      }
      Integer index = list.indexOf().get(fields[0]);
      if (index == null) {
        throw new IOException(where + "image " + fields[0] + " is not listed in " + list.file());
      }
      if (seenAt[index] != 0) {
        throw new IOException(where + "image " + fields[0] + " repeats line " + seenAt[index]);
      }
      seenAt[index] = i + 1;
      column[index] = label(where, fields[1]);
    }
    for (int index = 0; index < seenAt.length; index++) {
      if (seenAt[index] == 0) {
        throw new IOException(
            classFile
                + ": has no line for image "
                + list.ids().get(index)
                + " of "
                + list.at(index));
      }
    }
    return column;
  }

  private static byte label(String where, String text) throws IOException {
    return switch (text) {
      case "1" -> ClassificationSet.PRESENT;
      case "-1" -> ClassificationSet.ABSENT;
      case "0" -> ClassificationSet.DIFFICULT;
      default -> throw new IOException(where + "label '" + text + "' is not 1, -1 or 0");
    };
  }

  private static List<String> imageNames(Path root, SplitList list) throws IOException {
    Path dir = root.resolve("JPEGImages");
    List<String> names = new ArrayList<>(list.size());
    for (int index = 0; index < list.size(); index++) {
      String jpg = list.ids().get(index) + ".jpg";
      String png = list.ids().get(index) + ".png";
      if (Files.isRegularFile(dir.resolve(jpg))) {
        names.add(jpg);
      } else if (Files.isRegularFile(dir.resolve(png))) {
        names.add(png);
      } else {
        throw new IOException(
            list.at(index)
                + ": image "
                + list.ids().get(index)
                + " has neither "
                + dir.resolve(jpg)
                + " nor "
                + png);
      }
    }
    return names;
  }

  private static String[] fields(String line) {
    String stripped = line.strip();
    return stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
  }

  /** The image ids of a split's list, in file order, with the line each is on. */
  private record SplitList(Path file, List<String> ids, Map<String, Integer> indexOf, int[] lines) {

    static SplitList read(Path file) throws IOException {
      List<String> text = TextLines.read(file);
      List<String> ids = new ArrayList<>();
      Map<String, Integer> indexOf = new HashMap<>();
      int[] lines = new int[text.size()];
      for (int i = 0; i < text.size(); i++) {
        String[] fields = fields(text.get(i));
        if (fields.length == 0) {
          continue;
        }
        String where = file + ":" + (i + 1) + ": ";
        if (fields.length != 1) {
          throw new IOException(where + "expected one image id, found: " + text.get(i));
        }
        Integer first = indexOf.putIfAbsent(fields[0], ids.size());
        if (first != null) {
          throw new IOException(where + "image " + fields[0] + " repeats line " + lines[first]);
        }
        lines[ids.size()] = i + 1;
        ids.add(fields[0]);
      }
      if (ids.isEmpty()) {
        throw new IOException(file + ": lists no image");
      }
      return new SplitList(file, ids, indexOf, lines);
    }

    int size() {
      return ids.size();
    }

    /** Returns {@code file:line} of an image's entry. */
    String at(int index) {
      return file + ":" + lines[index];
    }
  }
}
