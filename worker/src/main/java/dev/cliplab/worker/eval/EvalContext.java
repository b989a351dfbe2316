package dev.cliplab.worker.eval;

import ai.djl.ndarray.NDManager;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.ImageSource;
import dev.cliplab.worker.data.PixelCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tasks of one suite run share: the model, the corpus, the options, and the features of
 * each image set, extracted once (or read from the feature cache) and kept for the run.
 */
final class EvalContext {

  private static final Logger LOG = LoggerFactory.getLogger(EvalContext.class);

  private final NDManager manager;
  private final EvalModel model;
  private final DemoCorpus corpus;
  private final SuiteOptions options;
  private final Embedder embedder;
  private final Map<String, ImageFeatures> extracted = new HashMap<>();
  private byte[] weights;

  EvalContext(NDManager manager, EvalModel model, DemoCorpus corpus, SuiteOptions options) {
    this.manager = manager;
    this.model = model;
    this.corpus = corpus;
    this.options = options;
    this.embedder =
        new Embedder(model.network(), model.vocabulary(), model.maxTokens(), options.batchSize());
  }

  DemoCorpus corpus() {
    return corpus;
  }

  SuiteOptions options() {
    return options;
  }

  /**
   * The features of an image set at the model's input size: from this run's memory, else from the
   * feature cache when it was written for these weights and images, else extracted (and cached).
   *
   * @param set names the set in cache file names, such as {@code voc-emoji-test}
   * @param images the images
   * @throws IOException if an image or a cache file cannot be read or written
   */
  ImageFeatures features(String set, ImageSource images) throws IOException {
    ImageFeatures known = extracted.get(set);
    if (known != null) {
      return known;
    }
    int size = model.imageSize();
    FeatureCache.Key key = new FeatureCache.Key(weights(), digest(images), size, images.count());
    Optional<Path> file = model.featureDir().map(dir -> dir.resolve(cacheName(set, size)));
    Optional<ImageFeatures> cached =
        file.isPresent() ? FeatureCache.read(file.get(), key) : Optional.empty();
    ImageFeatures features;
    if (cached.isPresent()) {
      LOG.debug("Read the features of {} from {}", set, file.get());
      features = cached.get();
    } else {
      features = extract(set, images, size);
      if (file.isPresent()) {
        FeatureCache.write(file.get(), key, features);
      }
    }
    extracted.put(set, features);
    return features;
  }

  /** The unit text embeddings of some texts. */
  FeatureMatrix texts(List<String> texts) {
    try (NDManager scope = manager.newSubManager()) {
      return embedder.texts(scope, texts);
    }
  }

  private ImageFeatures extract(String set, ImageSource images, int size) throws IOException {
    long started = System.nanoTime();
    Path pixelDir = options.pixelCacheDir().orElse(corpus.cacheDir());
    String name = String.format(Locale.ROOT, "%s-%d-images-%dpx.pixels", set, images.count(), size);
    ImageFeatures features;
    try (PixelCache pixels = PixelCache.open(images, size, pixelDir.resolve(name));
        NDManager scope = manager.newSubManager()) {
      features = embedder.images(scope, pixels);
    }
    LOG.info(
        "Extracted the features of {} images of {} in {} ms",
        images.count(),
        set,
        (System.nanoTime() - started) / 1_000_000);
    return features;
  }

  private String cacheName(String set, int size) {
    return String.format(Locale.ROOT, "%s-%s-%dpx.f32", model.checkpointId(), set, size);
  }

  private byte[] weights() {
    if (weights == null) {
      weights = ModelFingerprint.of(model.network());
    }
    return weights;
  }

  private static byte[] digest(ImageSource images) throws IOException {
    MessageDigest digest = ModelFingerprint.sha256();
    images.fingerprint(digest);
    digest.update(ByteBuffer.allocate(4).putInt(images.count()).array());
    return digest.digest();
  }
}
