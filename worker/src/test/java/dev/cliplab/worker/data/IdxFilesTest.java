package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

  @TempDir Path dir;

  // Three 2x3 images (rows x columns) whose pixel k of image i is 10 * i + k.
  private static final int COUNT = 3;
  private static final int ROWS = 2;
  private static final int COLS = 3;

  private static byte[] idx(int magic, int[] dims, byte[] data) {
    ByteBuffer out = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    out.putInt(magic);
    for (int d : dims) {
      out.putInt(d);
    }
    return out.put(data).array();
  }

  private static byte[] images() {
    byte[] data = new byte[COUNT * ROWS * COLS];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (10 * (i / (ROWS * COLS)) + i % (ROWS * COLS));
    }
    return idx(0x0803, new int[] {COUNT, ROWS, COLS}, data);
  }

  private static byte[] labels(int... labels) {
    byte[] data = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = (byte) labels[i];
    }
    return idx(0x0801, new int[] {labels.length}, data);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private Path writeGzip(String name, byte[] bytes) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(buffer)) {
      gz.write(bytes);
    }
    return write(name, buffer.toByteArray());
  }

  private static List<int[]> pixels(ImageSource source) throws IOException {
    List<int[]> all = new ArrayList<>();
    source.forEach(
        (index, loader) -> {
          BufferedImage image = loader.load();
          assertThat(image.getWidth()).isEqualTo(COLS);
          assertThat(image.getHeight()).isEqualTo(ROWS);
          all.add(image.getRaster().getSamples(0, 0, COLS, ROWS, 0, (int[]) null));
        });
    return all;
  }

  @Test
  @DisplayName("reads images row by row and labels from plain files")
  void readsPlainFiles() throws IOException {
    Path images = write("train-images-idx3-ubyte", images());
    Path labels = write("train-labels-idx1-ubyte", labels(2, 0, 1));

    ClassificationSet set = IdxFiles.read(images, labels, List.of("shirt", "shoe", "bag"));

    assertThat(set.size()).isEqualTo(3);
    assertThat(List.of(set.label(0), set.label(1), set.label(2))).containsExactly(2, 0, 1);
    assertThat(set.images().id(2)).isEqualTo("2");
    assertThat(set.images().file(0)).isEmpty();
    assertThat(pixels(set.images()))
        .containsExactly(
            new int[] {0, 1, 2, 3, 4, 5},
            new int[] {10, 11, 12, 13, 14, 15},
            new int[] {20, 21, 22, 23, 24, 25});
  }

  @Test
  @DisplayName("reads gzip-compressed files of the MNIST layout, with classes.txt")
  void readsGzipSplit() throws IOException {
    writeGzip("t10k-images-idx3-ubyte.gz", images());
    writeGzip("t10k-labels-idx1-ubyte.gz", labels(1, 1, 0));
    Files.writeString(dir.resolve("classes.txt"), "T-shirt/top\nTrouser\n");

    ClassificationSet set = IdxFiles.readSplit(dir, "t10k");

    assertThat(set.classes()).containsExactly("T-shirt/top", "Trouser");
    assertThat(set.label(2)).isZero();
    assertThat(pixels(set.images()).get(1)).containsExactly(10, 11, 12, 13, 14, 15);
  }

  @Test
  @DisplayName("names the digits as classes when there is no classes.txt")
  void defaultsToDigitClasses() throws IOException {
    write("train-images-idx3-ubyte", images());
    write("train-labels-idx1-ubyte", labels(9, 0, 1));

    ClassificationSet set = IdxFiles.readSplit(dir, "train");

    assertThat(set.classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(set.label(0)).isEqualTo(9);
  }

  @Test
  @DisplayName("names the file and the expected size of a truncated file, plain or compressed")
  void rejectsTruncatedFiles() throws IOException {
    byte[] whole = images();
    int expected = COUNT * ROWS * COLS + 16;
    Path plain = write("short-images", Arrays.copyOf(whole, whole.length - 1));
    assertThatThrownBy(() -> IdxFiles.images(plain))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(plain + ": truncated")
        .hasMessageContaining("implies " + expected + " bytes");

    Path gz = writeGzip("short-images.gz", Arrays.copyOf(whole, 20));
    assertThatThrownBy(() -> IdxFiles.images(gz))
        .hasMessageContaining(gz + ": truncated")
        .hasMessageContaining("found 20");

    byte[] labels = labels(1, 2, 3);
    Path shortLabels = write("short-labels", Arrays.copyOf(labels, labels.length - 2));
    assertThatThrownBy(() -> IdxFiles.labels(shortLabels))
        .hasMessageContaining(shortLabels + ": truncated")
        .hasMessageContaining("implies 11 bytes");

    Path header = write("header-only", Arrays.copyOf(whole, 10));
    assertThatThrownBy(() -> IdxFiles.images(header))
        .hasMessageContaining(header + ": truncated inside its IDX header");
  }

  @Test
  @DisplayName("rejects trailing bytes")
  void rejectsLongFile() throws IOException {
    byte[] whole = images();
    Path file = write("long-images", Arrays.copyOf(whole, whole.length + 1));

    assertThatThrownBy(() -> IdxFiles.images(file)).hasMessageContaining(file + ": too long");
  }

  @Test
  @DisplayName("checks the magic number, element type and number of dimensions")
  void checksHeader() throws IOException {
    Path png = write("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0});
    assertThatThrownBy(() -> IdxFiles.images(png))
        .hasMessageContaining(png + ": not an IDX file (magic number 0x89504e47)");

    Path floats = write("floats", idx(0x0D03, new int[] {1, 1, 1}, new byte[4]));
    assertThatThrownBy(() -> IdxFiles.images(floats))
        .hasMessageContaining(floats + ": element type 0xd is not unsigned bytes");

    Path labels = write("labels", labels(1, 2));
    assertThatThrownBy(() -> IdxFiles.images(labels))
        .hasMessageContaining(labels + ": has 1 dimensions, expected 3");

    Path zero = write("zero", idx(0x0803, new int[] {3, 0, 3}, new byte[0]));
    assertThatThrownBy(() -> IdxFiles.images(zero)).hasMessageContaining("implausible dimensions");
  }

  @Test
  @DisplayName("names both files when the counts differ, and a label that is not a class")
  void checksLabels() throws IOException {
    Path images = write("images", images());
    Path two = write("two-labels", labels(0, 1));
    assertThatThrownBy(() -> IdxFiles.read(images, two, List.of("a", "b")))
        .hasMessageContaining(two + ": has 2 labels but " + images + " has 3 images");

    Path seven = write("labels", labels(0, 7, 1));
    assertThatThrownBy(() -> IdxFiles.read(images, seven, List.of("a", "b")))
        .hasMessageContaining(seven + ": label 7 of record 1 is not one of the 2 classes");
  }

  @Test
  @DisplayName("names the folder and both names tried when a split's file is missing")
  void rejectsMissingSplit() {
    assertThatThrownBy(() -> IdxFiles.readSplit(dir, "train"))
        .hasMessageContaining(
            dir + ": has neither train-images-idx3-ubyte nor train-images-idx3-ubyte.gz");
  }
}
