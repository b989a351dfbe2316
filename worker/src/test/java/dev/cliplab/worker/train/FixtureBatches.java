package dev.cliplab.worker.train;

import dev.cliplab.worker.data.Augmenter;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.PixelCache;
import dev.cliplab.worker.data.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The committed fixture's training images with their vocabulary and pixel caches at 32 px (the
 * source of 16 px crops) and 16 px (plain batches), opened once per test JVM in a temporary folder.
 */
final class FixtureBatches {

  static final List<CaptionedImage> IMAGES;
  static final Vocabulary VOCABULARY;
  static final PixelCache SOURCE;
  static final PixelCache PLAIN;

  static {
    DemoCorpus fixture = new DemoCorpus(Path.of("src/test/resources/fixture"));
    try {
      Path caches = Files.createTempDirectory("fixture-batches");
      caches.toFile().deleteOnExit();
      IMAGES = CocoCaptions.read(fixture.trainAnnotations());
      List<String> captions = new ArrayList<>();
      IMAGES.forEach(image -> captions.addAll(image.captions()));
      VOCABULARY = Vocabulary.build(captions, 1);
      SOURCE = open(fixture, caches, 32);
      PLAIN = open(fixture, caches, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private FixtureBatches() {}

  private static PixelCache open(DemoCorpus fixture, Path caches, int side) throws IOException {
    Path file = caches.resolve(side + ".pixels");
    file.toFile().deleteOnExit();
    return PixelCache.open(fixture.trainImages(), IMAGES, side, file);
  }

  /** Augmented batches of 16 captions (12 tokens) and 16 px crops, under the given seed. */
  static BatchMaker augmenting(long seed) {
    return new BatchMaker(
        IMAGES, SOURCE, VOCABULARY, 12, 16, seed, Augmenter.random(16, 0.2, 0.4), false);
  }
}
