package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads class-per-folder image trees, as ImageNet is laid out: {@code <root>/<class>/<image>},
 * optionally under split folders ({@code <root>/train/<class>/<image>}).
 *
 * <p>The classes are the sub-folders of the root, sorted by name; a class's images are the files
 * anywhere below its folder, sorted by path. Files whose extension is not an image's ({@code .jpg
 * .jpeg .png .bmp .gif}, in any case) are skipped and counted, as are files directly in the root; a
 * class folder without any image is an error naming the folder.
 */
public final class ImageFolders {

  private static final Logger LOG = LoggerFactory.getLogger(ImageFolders.class);
  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

  private ImageFolders() {}

  /**
   * A read tree: the labelled images and how many files were not images.
   *
   * @param set the images, each labelled with its class folder; image ids are the paths relative to
   *     the root, with {@code /} between folders
   * @param skippedFiles the files skipped because their extension is not an image's
   */
  public record Tree(ClassificationSet set, int skippedFiles) {}

  /**
   * Reads one class-per-folder tree.
   *
   * @param root the folder holding one folder per class
   * @return the tree
   * @throws IOException if the root is missing or has no class folder, or a class folder has no
   *     image, naming the folder
   */
  public static Tree read(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": no such folder");
    }
    List<Path> classDirs = new ArrayList<>();
    int skipped = 0;
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        if (Files.isDirectory(entry)) {
          classDirs.add(entry);
        } else {
          skipped++;
        }
      }
    }
    if (classDirs.isEmpty()) {
      throw new IOException(root + ": has no class folder");
    }
    List<String> classes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path dir : classDirs) {
      classes.add(dir.getFileName().toString());
      skipped += listImages(root, dir, classes.size() - 1, names, labels);
    }
    if (skipped > 0) {
      LOG.warn("Skipped {} files that are not images in {}", skipped, root);
    }
    ImageFiles images = ImageFiles.of(root, names, names);
    int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
    return new Tree(
        ClassificationSet.singleLabel(root.getFileName().toString(), classes, images, labelArray),
        skipped);
  }

  /**
   * Reads the split folders of a root, each a class-per-folder tree with the same classes, so that
   * a label means the same class in every split.
   *
   * @param root the folder holding the split folders
   * @param splits the split folders' names, such as {@code train} and {@code val}
   * @return each split's tree, in the order given
   * @throws IOException if a split cannot be read, or two splits' classes differ, naming both
   */
  public static Map<String, Tree> readSplits(Path root, List<String> splits) throws IOException {
    Map<String, Tree> trees = new LinkedHashMap<>();
    Tree first = null;
    for (String split : splits) {
      Tree tree = read(root.resolve(split));
      if (first != null && !first.set().classes().equals(tree.set().classes())) {
        throw new IOException(
            root.resolve(split)
                + ": its "
                + tree.set().classes().size()
                + " class folders differ from the "
                + first.set().classes().size()
                + " of "
                + root.resolve(splits.get(0)));
      }
      first = first == null ? tree : first;
      trees.put(split, tree);
    }
    return trees;
  }

  /** Tells whether a file name has an image's extension. */
  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  // Appends the images below one class folder; returns how many other files it skipped.
  private static int listImages(
      Path root, Path classDir, int label, List<String> names, List<Integer> labels)
      throws IOException {
    List<Path> files;
    // Links are followed, since class folders are often links into a shared copy of a dataset.
    try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int skipped = 0;
    int found = 0;
    for (Path file : files) {
      if (!isImage(file)) {
        skipped++;
        continue;
      }
      names.add(relativeName(root, file));
      labels.add(label);
      found++;
    }
    if (found == 0) {
      throw new IOException(
          classDir + ": class folder holds no image (" + skipped + " other files)");
    }
    return skipped;
  }

  private static String relativeName(Path root, Path file) {
    Path relative = root.relativize(file);
    StringBuilder name = new StringBuilder();
    for (Path part : relative) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(part);
    }
    return name.toString();
  }
}
