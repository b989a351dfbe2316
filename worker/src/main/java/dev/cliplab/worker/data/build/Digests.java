package dev.cliplab.worker.data.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 checksums of files and the stable pseudo-random ranks that make choices repeatable. */
final class Digests {

  private Digests() {}

  /** Returns the lower-case hex SHA-256 of a file's contents. */
  static String sha256(Path file) throws IOException {
    MessageDigest sha = newSha256();
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Returns a rank for a key that is uniformly spread and the same on every machine and JVM, so
   * that sorting by it gives a repeatable random order; the salt makes orders for different
   * purposes independent.
   */
  static long rank(String salt, String key) {
    MessageDigest sha = newSha256();
    sha.update((salt + "\u0000" + key).getBytes(StandardCharsets.UTF_8));
    return ByteBuffer.wrap(sha.digest()).getLong() >>> 1;
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
