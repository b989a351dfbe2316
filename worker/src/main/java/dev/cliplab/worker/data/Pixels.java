package dev.cliplab.worker.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.util.Arrays;

/** Opaque RGB pixel operations shared by the corpus builder and the pixel cache. */
public final class Pixels {

  private static final int WHITE = 0xffffff;

  private Pixels() {}

  /**
   * Returns an opaque RGB copy of an image with its transparency composited on white: each channel
   * becomes {@code round((c * a + 255 * (255 - a)) / 255)}.
   *
   * @param image any decoded image
   * @return a {@code TYPE_INT_RGB} image of the same size
   */
  public static BufferedImage onWhite(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] dst = data(out);
    int[] argb = new int[w];
    for (int y = 0; y < h; y++) {
      readRow(image, y, argb);
      for (int x = 0; x < w; x++) {
        int p = argb[x];
        int a = p >>> 24;
        dst[y * w + x] =
            blend((p >> 16) & 0xff, a) << 16 | blend((p >> 8) & 0xff, a) << 8 | blend(p & 0xff, a);
      }
    }
    return out;
  }

  /**
   * Centres an opaque image on a white square whose side is its longer side; when the padding is
   * odd, the extra row or column goes to the bottom or right.
   *
   * @param rgb a {@code TYPE_INT_RGB} image
   * @return the square image, the same object when it is already square
   */
  public static BufferedImage padToSquare(BufferedImage rgb) {
    int w = rgb.getWidth();
    int h = rgb.getHeight();
    if (w == h) {
      return rgb;
    }
    int side = Math.max(w, h);
    BufferedImage out = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    int[] dst = data(out);
    Arrays.fill(dst, WHITE);
    int[] src = data(rgb);
    int left = (side - w) / 2;
    int top = (side - h) / 2;
    for (int y = 0; y < h; y++) {
      System.arraycopy(src, y * w, dst, (top + y) * side + left, w);
    }
    return out;
  }

  /**
   * Resizes an opaque image by area averaging: each output pixel is the mean of the source area it
   * covers, weighted by overlap, which neither aliases when shrinking nor blurs more than needed.
   *
   * @param rgb a {@code TYPE_INT_RGB} image
   * @param width the output width
   * @param height the output height
   * @return a {@code TYPE_INT_RGB} image of the given size
   */
  public static BufferedImage resize(BufferedImage rgb, int width, int height) {
    int sw = rgb.getWidth();
    int sh = rgb.getHeight();
    if (sw == width && sh == height) {
      return rgb;
    }
    Resampling cols = new Resampling(sw, width);
    Resampling rows = new Resampling(sh, height);
    int[] src = data(rgb);
    float[] horizontal = new float[sh * width * 3];
    for (int y = 0; y < sh; y++) {
      for (int x = 0; x < width; x++) {
        cols.accumulate(src, y * sw, x, horizontal, (y * width + x) * 3);
      }
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] dst = data(out);
    float[] rgbSum = new float[3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        rows.average(horizontal, x * 3, width * 3, y, rgbSum);
        dst[y * width + x] =
            channel(rgbSum[0]) << 16 | channel(rgbSum[1]) << 8 | channel(rgbSum[2]);
      }
    }
    return out;
  }

  /** Returns the packed {@code 0xRRGGBB} pixels of a {@code TYPE_INT_RGB} image, not a copy. */
  public static int[] data(BufferedImage rgb) {
    if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("expected TYPE_INT_RGB, was type " + rgb.getType());
    }
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }

  private static int blend(int c, int a) {
    return (c * a + 255 * (255 - a) + 127) / 255;
  }

  private static int channel(float v) {
    return Math.max(0, Math.min(255, Math.round(v)));
  }

  // Reads one row as non-premultiplied ARGB. The sample-level paths are several times faster than
  // getRGB for the layouts PNG decoding produces, and they keep grey levels as stored: ImageIO
  // gives grey PNGs the linear CS_GRAY space, and getRGB would brighten them by a gamma step.
  private static void readRow(BufferedImage image, int y, int[] argb) {
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int w = image.getWidth();
    if (cm instanceof IndexColorModel icm) {
      int[] palette = new int[icm.getMapSize()];
      icm.getRGBs(palette);
      int[] index = raster.getSamples(0, y, w, 1, 0, (int[]) null);
      for (int x = 0; x < w; x++) {
        argb[x] = palette[index[x]];
      }
    } else if (isPlainComponents(cm) && isInterleavedBytes(raster)) {
      interleavedRow(cm, raster, y, argb);
    } else if (isPlainComponents(cm)) {
      componentRow(cm, raster.getPixels(0, y, w, 1, (int[]) null), argb);
    } else {
      image.getRGB(0, y, w, 1, argb, 0, w);
    }
  }

  private static boolean isPlainComponents(ColorModel cm) {
    if (!(cm instanceof ComponentColorModel) || cm.isAlphaPremultiplied()) {
      return false;
    }
    ColorSpace cs = cm.getColorSpace();
    return (cs.getType() == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1)
        || cs.isCS_sRGB();
  }

  private static boolean isInterleavedBytes(Raster raster) {
    return raster.getDataBuffer() instanceof DataBufferByte
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel
        && raster.getSampleModelTranslateX() == 0
        && raster.getSampleModelTranslateY() == 0
        && raster.getDataBuffer().getNumBanks() == 1;
  }

  private static void interleavedRow(ColorModel cm, Raster raster, int y, int[] argb) {
    PixelInterleavedSampleModel sm = (PixelInterleavedSampleModel) raster.getSampleModel();
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int[] offsets = sm.getBandOffsets();
    int stride = sm.getPixelStride();
    int colours = cm.getNumColorComponents();
    int start = raster.getDataBuffer().getOffset() + y * sm.getScanlineStride();
    for (int x = 0, i = start; x < argb.length; x++, i += stride) {
      int r = data[i + offsets[0]] & 0xff;
      int g = colours == 1 ? r : data[i + offsets[1]] & 0xff;
      int b = colours == 1 ? r : data[i + offsets[2]] & 0xff;
      int a = cm.hasAlpha() ? data[i + offsets[colours]] & 0xff : 255;
      argb[x] = a << 24 | r << 16 | g << 8 | b;
    }
  }

  private static void componentRow(ColorModel cm, int[] samples, int[] argb) {
    int colours = cm.getNumColorComponents();
    int bands = cm.getNumComponents();
    int bits = cm.getComponentSize(0);
    int alphaBits = cm.hasAlpha() ? cm.getComponentSize(colours) : 8;
    for (int x = 0, i = 0; x < argb.length; x++, i += bands) {
      int r = to8(samples[i], bits);
      int g = colours == 1 ? r : to8(samples[i + 1], bits);
      int b = colours == 1 ? r : to8(samples[i + 2], bits);
      int a = cm.hasAlpha() ? to8(samples[i + colours], alphaBits) : 255;
      argb[x] = a << 24 | r << 16 | g << 8 | b;
    }
  }

  private static int to8(int sample, int bits) {
    if (bits == 8) {
      return sample;
    }
    int max = (1 << bits) - 1;
    return (sample * 255 + max / 2) / max;
  }

  /** Overlap weights of the source cells each output cell covers, along one axis. */
  private static final class Resampling {
    private final int[] first;
    private final float[][] weights;

    Resampling(int src, int dst) {
      first = new int[dst];
      weights = new float[dst][];
      double scale = (double) src / dst;
      for (int d = 0; d < dst; d++) {
        double lo = d * scale;
        double hi = (d + 1) * scale;
        int a = (int) Math.floor(lo);
        int b = Math.min(src, (int) Math.ceil(hi));
        first[d] = a;
        weights[d] = new float[b - a];
        for (int s = a; s < b; s++) {
          weights[d][s - a] = (float) ((Math.min(hi, s + 1) - Math.max(lo, s)) / scale);
        }
      }
    }

    void accumulate(int[] src, int rowStart, int d, float[] out, int outAt) {
      float r = 0;
      float g = 0;
      float b = 0;
      float[] w = weights[d];
      for (int k = 0; k < w.length; k++) {
        int p = src[rowStart + first[d] + k];
        r += w[k] * ((p >> 16) & 0xff);
        g += w[k] * ((p >> 8) & 0xff);
        b += w[k] * (p & 0xff);
      }
      out[outAt] = r;
      out[outAt + 1] = g;
      out[outAt + 2] = b;
    }

    void average(float[] src, int colAt, int rowStride, int d, float[] rgb) {
      Arrays.fill(rgb, 0);
      float[] w = weights[d];
      for (int k = 0; k < w.length; k++) {
        int at = (first[d] + k) * rowStride + colAt;
        rgb[0] += w[k] * src[at];
        rgb[1] += w[k] * src[at + 1];
        rgb[2] += w[k] * src[at + 2];
      }
    }
  }
}
