package dev.cliplab.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The header of an IDX file of unsigned bytes: two zero bytes, the type code {@code 0x08}, the
 * number of dimensions, then each dimension as a big-endian 32-bit integer.
 *
 * @param file the file, for messages
 * @param dims the dimensions, the number of records first
 */
record IdxHeader(Path file, int[] dims) {

  private static final int UNSIGNED_BYTE = 0x08;

  /** Returns the number of records (the first dimension). */
  int count() {
    return dims[0];
  }

  /** Returns the bytes of one record: the product of the other dimensions. */
  int recordBytes() {
    long bytes = 1;
    for (int i = 1; i < dims.length; i++) {
      bytes *= dims[i];
    }
    return (int) bytes;
  }

  /** Returns the length of the header. */
  int headerBytes() {
    return 4 + 4 * dims.length;
  }

  /** Returns the length the whole (uncompressed) file must have. */
  long expectedBytes() {
    return headerBytes() + (long) count() * recordBytes();
  }

  /**
   * Opens a file, plain or gzip-compressed (told by its first bytes, not its name), positioned at
   * the start of its header.
   */
  static InputStream open(Path file) throws IOException {
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file", e);
    }
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
    }
    return in;
  }

  /**
   * Reads and checks a header.
   *
   * @param file the file, for messages
   * @param in the stream, at the start of the file; left after the header
   * @param expectedDims how many dimensions the file must have (3 for images, 1 for labels)
   */
  static IdxHeader read(Path file, InputStream in, int expectedDims) throws IOException {
    DataInputStream data = new DataInputStream(in);
    try {
      int magic = data.readInt();
      if ((magic >>> 16) != 0) {
        throw new IOException(
            file + ": not an IDX file (magic number 0x" + Integer.toHexString(magic) + ")");
      }
      if (((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
        throw new IOException(
            file
                + ": element type 0x"
                + Integer.toHexString((magic >>> 8) & 0xff)
                + " is not unsigned bytes (0x08)");
      }
      int dimCount = magic & 0xff;
      if (dimCount != expectedDims) {
        throw new IOException(file + ": has " + dimCount + " dimensions, expected " + expectedDims);
      }
      int[] dims = new int[dimCount];
      for (int i = 0; i < dimCount; i++) {
        dims[i] = data.readInt();
      }
      return checked(file, dims);
    } catch (EOFException e) {
      throw new IOException(file + ": truncated inside its IDX header", e);
    }
  }

  private static IdxHeader checked(Path file, int[] dims) throws IOException {
    long record = 1;
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] <= 0 || (i > 0 && dims[i] > 1 << 16)) {
        throw new IOException(file + ": implausible dimensions " + Arrays.toString(dims));
      }
      record *= i > 0 ? dims[i] : 1;
    }
    if (record > Integer.MAX_VALUE / 4) {
      throw new IOException(file + ": records of " + record + " bytes are too large");
    }
    return new IdxHeader(file, dims);
  }

  /**
   * Checks that a file holds exactly its header and its data, reading a compressed file through
   * once.
   *
   * @throws IOException if it is shorter or longer, naming the file and the expected size
   */
  void checkLength() throws IOException {
    long found = 0;
    try (InputStream in = open(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        found += n;
      }
    }
    if (found != expectedBytes()) {
      throw new IOException(
          file
              + ": "
              + (found < expectedBytes() ? "truncated" : "too long")
              + ": its header "
              + Arrays.toString(dims)
              + " implies "
              + expectedBytes()
              + " bytes of data, found "
              + found);
    }
  }
}
