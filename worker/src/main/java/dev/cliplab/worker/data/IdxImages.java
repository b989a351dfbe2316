package dev.cliplab.worker.data;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;

/** The greyscale images of an IDX file (MNIST layout: count x rows x columns bytes), streamed. */
final class IdxImages implements ImageSource {

  private final IdxHeader header;

  IdxImages(IdxHeader header) {
    this.header = header;
  }

  @Override
  public int count() {
    return header.count();
  }

  /** Returns the image's index in the file, as the IDX format has no ids. */
  @Override
  public String id(int index) {
    return Integer.toString(index);
  }

  /** Digests the file's name and length and the images' shape. */
  @Override
  public void fingerprint(MessageDigest digest) throws IOException {
    digest.update(("idx:" + header.file().getFileName()).getBytes(StandardCharsets.UTF_8));
    ByteBuffer shape = ByteBuffer.allocate(8 + 4 * header.dims().length);
    shape.putLong(Files.size(header.file()));
    for (int d : header.dims()) {
      shape.putInt(d);
    }
    digest.update(shape.array());
  }

  /** Reads the file once, front to back, handing out each image already decoded. */
  @Override
  public void forEach(Sink sink) throws IOException {
    int rows = header.dims()[1];
    int cols = header.dims()[2];
    try (InputStream in = IdxHeader.open(header.file())) {
      IdxHeader found = IdxHeader.read(header.file(), in, 3);
      if (found.count() != header.count() || found.recordBytes() != header.recordBytes()) {
        throw new IOException(header.file() + ": changed while it was being read");
      }
      for (int i = 0; i < header.count(); i++) {
        BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        if (in.readNBytes(pixels, 0, pixels.length) != pixels.length) {
          throw new IOException(
              header.file()
                  + ": truncated in image "
                  + i
                  + ": expected "
                  + header.expectedBytes()
                  + " bytes");
        }
        sink.accept(i, () -> image);
      }
    }
  }

  @Override
  public String toString() {
    return "IdxImages[" + header.file() + ", " + header.count() + " images]";
  }
}
