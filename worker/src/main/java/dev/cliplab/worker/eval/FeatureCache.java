package dev.cliplab.worker.eval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * One file of extracted features: a header that says which weights, images and input size made
 * them, then the backbone features and the embeddings as little-endian float32, row-major.
 *
 * <p>A file is reused only when its header matches the request exactly and its length is what the
 * header implies; anything else (other weights, other images, another size, a truncated file) is
 * treated as absent and overwritten. Files are written under a temporary name and moved into place,
 * so a crash never leaves a half-written file under the real name.
 */
final class FeatureCache {

  private static final byte[] MAGIC = "CLIPFEAT".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int DIGEST_BYTES = 32;
  private static final int HEADER_BYTES = MAGIC.length + 4 + 2 * DIGEST_BYTES + 4 * 4;

  /**
   * What identifies a set of features.
   *
   * @param weights the digest of the model's parameters
   * @param images the digest of the images
   * @param size the input side, px
   * @param count the number of images
   */
  record Key(byte[] weights, byte[] images, int size, int count) {

    Key {
      if (weights.length != DIGEST_BYTES || images.length != DIGEST_BYTES) {
        throw new IllegalArgumentException("feature cache digests are 32 bytes");
      }
    }
  }

  private FeatureCache() {}

  /**
   * Reads the features of a file when it was written for this key.
   *
   * @param file the cache file
   * @param key what the features must have been made from
   * @return the features, or empty when the file is missing or was made from something else
   * @throws IOException if the file exists but cannot be read
   */
  static Optional<ImageFeatures> read(Path file, Key key) throws IOException {
    if (!Files.isRegularFile(file) || Files.size(file) < HEADER_BYTES) {
      return Optional.empty();
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      channel.read(header, 0);
      header.flip();
      int[] dims = matchingDims(header, key);
      if (dims == null) {
        return Optional.empty();
      }
      long floats = (long) key.count() * (dims[0] + dims[1]);
      if (channel.size() != HEADER_BYTES + 4 * floats) {
        return Optional.empty();
      }
      ByteBuffer body =
          channel
              .map(FileChannel.MapMode.READ_ONLY, HEADER_BYTES, 4 * floats)
              .order(ByteOrder.LITTLE_ENDIAN);
      float[] backbone = new float[key.count() * dims[0]];
      float[] embeddings = new float[key.count() * dims[1]];
      body.asFloatBuffer().get(backbone).get(embeddings);
      return Optional.of(
          new ImageFeatures(
              new FeatureMatrix(key.count(), dims[0], backbone),
              new FeatureMatrix(key.count(), dims[1], embeddings)));
    }
  }

  // Returns {backbone dim, embedding dim} when the header is for this key, else null.
  private static int[] matchingDims(ByteBuffer header, Key key) {
    byte[] magic = new byte[MAGIC.length];
    header.get(magic);
    if (!Arrays.equals(magic, MAGIC) || header.getInt() != VERSION) {
      return null;
    }
    byte[] weights = new byte[DIGEST_BYTES];
    byte[] images = new byte[DIGEST_BYTES];
    header.get(weights).get(images);
    int size = header.getInt();
    int count = header.getInt();
    int[] dims = {header.getInt(), header.getInt()};
    boolean same =
        Arrays.equals(weights, key.weights())
            && Arrays.equals(images, key.images())
            && size == key.size()
            && count == key.count();
    return same && dims[0] >= 0 && dims[1] >= 0 ? dims : null;
  }

  /**
   * Writes features for a key, replacing any file of that name.
   *
   * @param file the cache file; its folder is created when missing
   * @param key what the features were made from
   * @param features the features, {@code key.count()} rows each
   * @throws IOException if the file cannot be written
   */
  static void write(Path file, Key key, ImageFeatures features) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    FeatureMatrix backbone = features.backbone();
    FeatureMatrix embeddings = features.embeddings();
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    header.put(MAGIC).putInt(VERSION).put(key.weights()).put(key.images());
    header.putInt(key.size()).putInt(key.count()).putInt(backbone.dim()).putInt(embeddings.dim());
    header.flip();
    try (FileChannel channel =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      writeFully(channel, header);
      writeFloats(channel, backbone.data());
      writeFloats(channel, embeddings.data());
    }
    Files.move(
        temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void writeFloats(FileChannel channel, float[] values) throws IOException {
    int chunk = 1 << 20;
    ByteBuffer buffer = ByteBuffer.allocate(4 * chunk).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < values.length; from += chunk) {
      int n = Math.min(chunk, values.length - from);
      buffer.clear();
      buffer.asFloatBuffer().put(values, from, n);
      buffer.limit(4 * n);
      writeFully(channel, buffer);
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
