package dev.cliplab.worker.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded, square, RGB pixels of a list of images in one memory-mapped file, built once per size.
 */
public final class PixelCache implements AutoCloseable {

  // One mapping holds at most this many bytes, so caches past 2 GiB (many images at 224 px) work.
  private static final long MAX_CHUNK_BYTES = 1L << 30;

  private final FileChannel channel;
  private final List<MappedByteBuffer> chunks;
  private final int count;
  private final int size;
  private final int imagesPerChunk;
  private volatile boolean closed;

  private PixelCache(FileChannel channel, int count, int size) throws IOException {
    this.channel = channel;
    this.count = count;
    this.size = size;
    long bytesPerImage = bytesPerImage(size);
    this.imagesPerChunk = (int) Math.max(1, MAX_CHUNK_BYTES / bytesPerImage);
    this.chunks = new ArrayList<>();
    for (int first = 0; first < count; first += imagesPerChunk) {
      int n = Math.min(imagesPerChunk, count - first);
      long at = CacheHeader.BYTES + first * bytesPerImage;
      chunks.add(channel.map(FileChannel.MapMode.READ_ONLY, at, n * bytesPerImage));
    }
  }

  /**
   * Opens the cache of captioned images at the given size, building it first when the file is
   * absent or was built for other images or another size.
   *
   * @param imagesDir the folder the images' file names are relative to
   * @param images the images, in the order of the cache's indices
   * @param size the side of the square images, in pixels
   * @param cacheFile the cache file; its folder is created when missing
   * @return the open cache
   * @throws IOException if an image is missing, truncated or not an image, naming its file and id,
   *     or the cache cannot be written
   * @see #open(ImageSource, int, Path)
   */
  public static PixelCache open(
      Path imagesDir, List<CaptionedImage> images, int size, Path cacheFile) throws IOException {
    return open(ImageFiles.of(imagesDir, images), size, cacheFile);
  }

  /**
   * Opens the cache of any image source at the given size, building it first when the file is
   * absent or was built for other images or another size.
   *
   * <p>Building decodes the images on all available cores, composites transparency on white, pads
   * each to a white square, resizes it to {@code size x size} by area averaging and stores it as
   * {@code uint8} RGB, height-width-channel; a grey image becomes three equal channels.
   *
   * @param images the images, in the order of the cache's indices
   * @param size the side of the square images, in pixels
   * @param cacheFile the cache file; its folder is created when missing
   * @return the open cache
   * @throws IOException if an image is missing, truncated or not an image, naming where it is
   *     stored and its id, or the cache cannot be written
   */
  public static PixelCache open(ImageSource images, int size, Path cacheFile) throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive, was " + size);
    }
    CacheHeader expected = CacheHeader.of(images, size);
    if (!expected.matches(cacheFile, bytesPerImage(size))) {
      new PixelCacheBuilder(images, size).build(expected, cacheFile);
    }
    FileChannel channel = FileChannel.open(cacheFile, StandardOpenOption.READ);
    try {
      return new PixelCache(channel, images.count(), size);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Returns the number of images. */
  public int count() {
    return count;
  }

  /** Returns the side of the square images, in pixels. */
  public int size() {
    return size;
  }

  /**
   * Writes images[indices[b]] into out as CHW floats in [-1, 1] ((v / 127.5) - 1), batch-major:
   * out.length = n*3*size*size.
   *
   * @param indices the cache indices of the batch's images
   * @param out the destination, of length {@code indices.length * 3 * size * size}
   */
  public void fillBatch(int[] indices, float[] out) {
    if (closed) {
      throw new IllegalStateException("pixel cache is closed");
    }
    int plane = size * size;
    if (out.length != indices.length * 3 * plane) {
      throw new IllegalArgumentException(
          "out has " + out.length + " floats, expected " + indices.length * 3 * plane);
    }
    byte[] hwc = new byte[3 * plane];
    for (int b = 0; b < indices.length; b++) {
      read(indices[b], hwc);
      int base = b * 3 * plane;
      for (int p = 0; p < plane; p++) {
        out[base + p] = (hwc[3 * p] & 0xff) / 127.5f - 1f;
        out[base + plane + p] = (hwc[3 * p + 1] & 0xff) / 127.5f - 1f;
        out[base + 2 * plane + p] = (hwc[3 * p + 2] & 0xff) / 127.5f - 1f;
      }
    }
  }

  /**
   * Copies the stored {@code uint8} RGB pixels (height-width-channel) of one image.
   *
   * @param index the cache index
   * @param hwc the destination, of length {@code 3 * size * size}
   */
  public void read(int index, byte[] hwc) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("image " + index + " of " + count);
    }
    ByteBuffer chunk = chunks.get(index / imagesPerChunk);
    int at = (int) ((index % imagesPerChunk) * bytesPerImage(size));
    chunk.get(at, hwc, 0, hwc.length);
  }

  /**
   * Closes the file; the mapping itself is released when the garbage collector finds it
   * unreachable, since Java 17 offers no way to unmap a buffer explicitly.
   */
  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long bytesPerImage(int size) {
    return 3L * size * size;
  }

  @Override
  public String toString() {
    return "PixelCache[count=" + count + ", size=" + size + ", chunks=" + chunks.size() + "]";
  }
}
