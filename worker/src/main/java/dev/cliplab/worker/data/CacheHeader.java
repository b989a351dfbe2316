package dev.cliplab.worker.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** The fixed-size header of a pixel cache file: what it was built from, to tell a stale one. */
final class CacheHeader {

  static final int BYTES = 64;
  private static final byte[] MAGIC = "CLPIXEL1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private final int count;

  private CacheHeader(byte[] bytes, int count) {
    this.bytes = bytes;
    this.count = count;
  }

  /**
   * Describes a cache of the given images: their count, the size and a SHA-256 over the source's
   * fingerprint (for files, each file's name and length), so that a changed list or a replaced
   * image makes the cache stale.
   */
  static CacheHeader of(ImageSource images, int size) throws IOException {
    MessageDigest sha = sha256();
    images.fingerprint(sha);
    ByteBuffer header = ByteBuffer.allocate(BYTES);
    header.put(MAGIC).putInt(images.count()).putInt(size).put(sha.digest());
    return new CacheHeader(header.array(), images.count());
  }

  /** Tells whether the file exists, starts with this header and has the length it implies. */
  boolean matches(Path cacheFile, long bytesPerImage) throws IOException {
    if (!Files.isRegularFile(cacheFile) || Files.size(cacheFile) != BYTES + count * bytesPerImage) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(cacheFile, StandardOpenOption.READ)) {
      ByteBuffer found = ByteBuffer.allocate(BYTES);
      while (found.hasRemaining() && ch.read(found) >= 0) {
        // keep reading until the header is complete or the file ends
      }
      return Arrays.equals(found.array(), bytes);
    }
  }

  /** Returns a copy of the header's bytes. */
  byte[] bytes() {
    return bytes.clone();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
