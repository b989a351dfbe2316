package dev.cliplab.worker.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 digest of a network's parameters (names, shapes and values, batch-norm statistics
 * included), so that cached features are tied to the exact weights that made them: another
 * checkpoint, or the same one after more training, never reuses them.
 */
final class ModelFingerprint {

  private ModelFingerprint() {}

  /**
   * Digests every parameter of an initialised block.
   *
   * @param block the block
   * @return 32 bytes
   */
  static byte[] of(Block block) {
    MessageDigest digest = sha256();
    for (Pair<String, Parameter> entry : block.getParameters()) {
      NDArray array = entry.getValue().getArray();
      digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
      digest.update(array.getShape().toString().getBytes(StandardCharsets.UTF_8));
      digest.update(array.getDataType().toString().getBytes(StandardCharsets.UTF_8));
      digest.update(array.toByteArray());
    }
    return digest.digest();
  }

  /** The digest as lower-case hex. */
  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
