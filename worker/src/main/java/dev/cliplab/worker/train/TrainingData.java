package dev.cliplab.worker.train;

import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.data.ZeroShotTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What a run reads from the corpus: the training images (possibly a subset), the vocabulary built
 * from their captions, and the held-out images with their zero-shot labels.
 */
record TrainingData(
    DemoCorpus corpus,
    List<CaptionedImage> train,
    Vocabulary vocabulary,
    List<CaptionedImage> heldout,
    ZeroShotTask zeroShot) {

  /** Fixed, so that every trial with the same subset size shares one pixel cache. */
  private static final long SUBSET_SEED = 0x5eed;

  /**
   * The largest side of a training source cache. The demo corpus stores emoji at 64 px and other
   * images at most 96 px on their long side, so a larger cache would hold only upsampled pixels; a
   * corpus of larger images (COCO) would gain from raising it, at 3 bytes per pixel per image.
   */
  static final int MAX_SOURCE_SIDE = 96;

  /**
   * Reads the corpus for a spec.
   *
   * @throws IOException if the corpus is not (completely) built or cannot be read
   * @throws IllegalArgumentException if the batch is larger than the training set
   */
  static TrainingData load(TrainSpec spec, DemoCorpus corpus) throws IOException {
    if (!corpus.isBuilt()) {
      throw new IOException("no complete corpus at " + corpus.root() + " (build it first)");
    }
    List<CaptionedImage> train =
        subset(CocoCaptions.read(corpus.trainAnnotations()), spec.maxTrainImages());
    if (train.size() < spec.batchSize()) {
      throw new IllegalArgumentException(
          "invalid value for batch_size: "
              + spec.batchSize()
              + " exceeds the "
              + train.size()
              + " training images");
    }
    List<String> captions = new ArrayList<>();
    train.forEach(image -> captions.addAll(image.captions()));
    Vocabulary vocabulary = Vocabulary.build(captions, spec.minWordCount());
    List<CaptionedImage> heldout = CocoCaptions.read(corpus.heldoutAnnotations());
    return new TrainingData(corpus, train, vocabulary, heldout, corpus.emojiGroups());
  }

  /**
   * At most {@code max} images spread over the whole list (0 = all), in their file order; a file
   * that lists its sources one after another still yields a mix of them.
   */
  static List<CaptionedImage> subset(List<CaptionedImage> images, int max) {
    if (max == 0 || max >= images.size()) {
      return images;
    }
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      indices.add(i);
    }
    Collections.shuffle(indices, new Random(SUBSET_SEED));
    List<Integer> chosen = new ArrayList<>(indices.subList(0, max));
    Collections.sort(chosen);
    return chosen.stream().map(images::get).toList();
  }

  /**
   * The side of the cache that training batches are made from. Random crops cover as little as a
   * fifth of an image and are then resized to the input side, so with augmentation the cache keeps
   * twice the input side (capped at {@link #MAX_SOURCE_SIDE}, never below the input side): a crop
   * of half the image's side still has as many real pixels as the input. Without augmentation it is
   * the input side, and the batches are the cached images as they are.
   */
  static int trainSourceSize(TrainSpec spec) {
    int side = spec.imageSize();
    return spec.augment() ? Math.max(side, Math.min(2 * side, MAX_SOURCE_SIDE)) : side;
  }

  PixelCache openTrainPixels(int size) throws IOException {
    return PixelCache.open(corpus.trainImages(), train, size, cacheFile("train", train, size));
  }

  PixelCache openHeldoutPixels(int size) throws IOException {
    return PixelCache.open(
        corpus.heldoutImages(), heldout, size, cacheFile("heldout", heldout, size));
  }

  private Path cacheFile(String split, List<CaptionedImage> images, int size) {
    String name =
        String.format(Locale.ROOT, "%s-%d-images-%dpx.pixels", split, images.size(), size);
    return corpus.cacheDir().resolve(name);
  }
}
