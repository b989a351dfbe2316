package dev.cliplab.worker.train;

import dev.cliplab.worker.data.Augmenter;
import dev.cliplab.worker.data.CaptionFlip;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.TokenBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training batches of a run: a seeded shuffle of the images per epoch, full batches only (batch
 * norm and the rolled negatives need every slot filled), one random caption per image, and the
 * image augmented.
 *
 * <p>Every random choice of a sample comes from its own stream, seeded from (seed, epoch, position
 * in the epoch), and the shuffle from (seed, epoch): a batch is a function of its epoch and index
 * alone, whichever thread makes it and whenever, so a run resumed at (epoch, batch) sees the
 * batches an uninterrupted run would. A sample draws, in order: its caption, whether to flip (only
 * with {@code hflip}), then the augmenter's crop and jitter.
 */
final class BatchMaker implements BatchSource {

  // The shuffle's stream sits at a position no sample has.
  private static final long SHUFFLE_POSITION = -1;
  private static final int ORDERS_KEPT = 2;

  private final List<CaptionedImage> images;
  private final PixelCache source;
  private final Vocabulary vocabulary;
  private final int maxTokens;
  private final int batchSize;
  private final long seed;
  private final Augmenter augmenter;
  private final boolean hflip;
  private final Map<Integer, int[]> orders = new LinkedHashMap<>();

  BatchMaker(
      List<CaptionedImage> images,
      PixelCache source,
      Vocabulary vocabulary,
      int maxTokens,
      int batchSize,
      long seed,
      Augmenter augmenter,
      boolean hflip) {
    if (images.size() != source.count()) {
      throw new IllegalArgumentException(
          images.size() + " training images but " + source.count() + " in " + source);
    }
    if (batchSize < 1 || batchSize > images.size()) {
      throw new IllegalArgumentException(
          "invalid value for batch_size: " + batchSize + " with " + images.size() + " images");
    }
    this.images = List.copyOf(images);
    this.source = source;
    this.vocabulary = vocabulary;
    this.maxTokens = maxTokens;
    this.batchSize = batchSize;
    this.seed = seed;
    this.augmenter = augmenter;
    this.hflip = hflip;
  }

  /**
   * The batches a spec asks for: augmented when {@code augment} is on (from a source cache larger
   * than the input, see {@link TrainingData#trainSourceSize}), flipped when {@code hflip} is on.
   */
  static BatchMaker forSpec(
      TrainSpec spec, List<CaptionedImage> images, PixelCache source, Vocabulary vocabulary) {
    Augmenter augmenter =
        spec.augment()
            ? Augmenter.random(spec.imageSize(), spec.cropScaleMin(), spec.colorJitter())
            : Augmenter.plain(spec.imageSize());
    return new BatchMaker(
        images,
        source,
        vocabulary,
        spec.maxTokens(),
        spec.batchSize(),
        spec.seed(),
        augmenter,
        spec.hflip());
  }

  @Override
  public int batchesPerEpoch() {
    return images.size() / batchSize;
  }

  @Override
  public int batchSize() {
    return batchSize;
  }

  @Override
  public int side() {
    return augmenter.side();
  }

  @Override
  public void fill(int epoch, int batch, LoadedBatch into) {
    if (batch < 0 || batch >= batchesPerEpoch()) {
      throw new IndexOutOfBoundsException("batch " + batch + " of " + batchesPerEpoch());
    }
    int[] order = order(epoch);
    byte[] hwc = into.scratch(3 * source.size() * source.size());
    int floatsPerImage = 3 * side() * side();
    int[][] encoded = new int[batchSize][];
    for (int b = 0; b < batchSize; b++) {
      int position = batch * batchSize + b;
      int image = order[position];
      SplittableRandom random = new SplittableRandom(streamSeed(seed, epoch, position));
      List<String> captions = images.get(image).captions();
      String caption = captions.get(random.nextInt(captions.size()));
      boolean mirror = hflip && random.nextBoolean();
      if (mirror) {
        caption = CaptionFlip.swapLeftRight(caption);
      }
      source.read(image, hwc);
      augmenter.apply(hwc, source.size(), mirror, random, into.pixels(), b * floatsPerImage);
      encoded[b] = vocabulary.encode(caption, maxTokens);
    }
    into.set(epoch, batch, TokenBatch.pack(encoded));
  }

  /** The image order of an epoch (Fisher–Yates); the last two epochs' orders are kept. */
  int[] order(int epoch) {
    synchronized (orders) {
      int[] order = orders.get(epoch);
      if (order == null) {
        order =
            shuffled(
                images.size(), new SplittableRandom(streamSeed(seed, epoch, SHUFFLE_POSITION)));
        orders.put(epoch, order);
        if (orders.size() > ORDERS_KEPT) {
          orders.remove(orders.keySet().iterator().next());
        }
      }
      return order;
    }
  }

  private static int[] shuffled(int n, SplittableRandom random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /** The seed of one stream: SplitMix64's finaliser folds in the run's seed, epoch and position. */
  static long streamSeed(long seed, int epoch, long position) {
    return mix(mix(mix(seed) + epoch) + position);
  }

  private static long mix(long value) {
    long z = value + 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
