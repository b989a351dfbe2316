package dev.cliplab.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PixelsTest {

  @Test
  @DisplayName("composites a palette image with transparent entries on white")
  void compositesPalette() {
    // Entry 0 is fully transparent blue, entry 1 is (200, 100, 0) at alpha 128:
    // 200 * 128 / 255 + 127 = 227.4, 100 * 128 / 255 + 127 = 177.2, 0 + 127 = 127.
    IndexColorModel palette =
        new IndexColorModel(
            8,
            2,
            new byte[] {0, (byte) 200},
            new byte[] {0, 100},
            new byte[] {(byte) 255, 0},
            new byte[] {0, (byte) 128});
    BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0, 1});

    int[] rgb = Pixels.data(Pixels.onWhite(image));

    assertThat(rgb).containsExactly(0xffffff, 227 << 16 | 177 << 8 | 127);
  }

  @Test
  @DisplayName("keeps the stored level of a 16-bit grey image with alpha")
  void readsSixteenBitGrey() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            new int[] {16, 16},
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {0x8080, 0xffff});
    BufferedImage image = new BufferedImage(cm, raster, false, null);

    // 0x8080 / 0xffff * 255 = 128 exactly; opaque, so white does not show through.
    assertThat(Pixels.data(Pixels.onWhite(image))).containsExactly(0x808080);
  }

  @Test
  @DisplayName("resizes by overlap-weighted averages")
  void resizesByOverlap() {
    BufferedImage row = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
    row.setRGB(0, 0, 0x000000);
    row.setRGB(1, 0, 0x5a5a5a);
    row.setRGB(2, 0, 0xb4b4b4);

    // Output pixel 0 covers source [0, 1.5): (0 * 1 + 90 * 0.5) / 1.5 = 30;
    // pixel 1 covers [1.5, 3): (90 * 0.5 + 180 * 1) / 1.5 = 150.
    int[] out = Pixels.data(Pixels.resize(row, 2, 1));

    assertThat(out).containsExactly(0x1e1e1e, 0x969696);
  }

  @Test
  @DisplayName("centres a tall image on a white square")
  void padsTallImage() {
    BufferedImage tall = new BufferedImage(1, 3, BufferedImage.TYPE_INT_RGB);

    int[] square = Pixels.data(Pixels.padToSquare(tall));

    assertThat(square)
        .containsExactly(0xffffff, 0, 0xffffff, 0xffffff, 0, 0xffffff, 0xffffff, 0, 0xffffff);
  }
}
