package dev.cliplab.worker.eval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cliplab.worker.data.CaptionedImage;
import dev.cliplab.worker.data.CocoCaptions;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.data.ZeroShotTask;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.train.TrainSpec;
import dev.cliplab.worker.train.TrainingRun;
import io.vertx.core.json.JsonObject;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds what the suite's tests evaluate: a copy of the committed fixture corpus, optionally with
 * small transfer sets of the demo's layout, and stored checkpoints of a tiny untrained network.
 */
final class TransferFixture {

  static final Path FIXTURE = Path.of("src/test/resources/fixture");

  /** A tiny network at 16 px, so that a whole suite run takes seconds. */
  static final TrainSpec SPEC =
      TrainSpec.defaults()
          .with(
              new JsonObject()
                  .put("image_size", 16)
                  .put("image_width", 4)
                  .put("embed_dim", 16)
                  .put("text_hidden", 16)
                  .put("text_heads", 2)
                  .put("text_layers", 1)
                  .put("max_tokens", 12)
                  .put("min_word_count", 1));

  /** Builds the network a spec describes, the same way for saving and for loading. */
  static final NetworkFactory FACTORY =
      (spec, vocabularySize) ->
          ClipLiteModel.builder()
              .setVocabularySize(vocabularySize)
              .setMaxTokens(spec.maxTokens())
              .optEmbedDim(spec.embedDim())
              .optImageArchitecture(spec.imageEncoder())
              .optImageWidth(spec.imageWidth())
              .optTextHidden(spec.textHidden())
              .optTextLayers(spec.textLayers())
              .optTextHeads(spec.textHeads())
              .build();

  /** The VOC classes, each an emoji group of the fixture's held-out images. */
  static final List<String> VOC_CLASSES = List.of("animal", "flag", "food");

  private static final Set<String> SKIPPED = Set.of("transfer", "cache");

  private static final List<String> GROUPS = List.of("animal & nature", "flag", "food & drink");

  static final List<String> FASHION_CLASSES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  private TransferFixture() {}

  /**
   * Copies the fixture corpus without its transfer sets and caches, so that the tests know exactly
   * which transfer data there is.
   */
  static DemoCorpus copyCorpus(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(FIXTURE)) {
      files
          .map(FIXTURE::relativize)
          .filter(relative -> !SKIPPED.contains(relative.getName(0).toString()))
          .forEach(relative -> copy(FIXTURE.resolve(relative), root.resolve(relative.toString())));
    }
    return new DemoCorpus(root);
  }

  /** Copies the fixture corpus and adds a VOC-style set and an IDX Fashion-MNIST to it. */
  static DemoCorpus corpusWithTransfers(Path root) throws IOException {
    DemoCorpus corpus = copyCorpus(root);
    writeVoc(corpus);
    writeFashion(corpus.fashionMnist());
    return corpus;
  }

  /**
   * Saves an untrained network as the given epoch of a trial directory, with the spec and the
   * vocabulary of the fixture's training captions.
   */
  static void saveCheckpoint(Path dir, int epoch, int seed) throws IOException {
    List<String> captions = new ArrayList<>();
    CocoCaptions.read(new DemoCorpus(FIXTURE).trainAnnotations())
        .forEach(image -> captions.addAll(image.captions()));
    Vocabulary vocabulary = Vocabulary.build(captions, SPEC.minWordCount());
    Files.createDirectories(dir);
    vocabulary.save(dir.resolve(TrainingRun.VOCABULARY_FILE));
    Files.writeString(dir.resolve(TrainingRun.SPEC_FILE), SPEC.toJson().encodePrettily());
    Engine.getInstance().setRandomSeed(seed);
    try (Model model = Model.newInstance(TrainingRun.MODEL_NAME)) {
      ClipLiteModel network = FACTORY.build(SPEC, vocabulary.size());
      model.setBlock(network);
      network.initialize(
          model.getNDManager(),
          DataType.FLOAT32,
          new Shape(1, 3, SPEC.imageSize(), SPEC.imageSize()),
          new Shape(1, SPEC.maxTokens()));
      model.setProperty("Epoch", Integer.toString(epoch));
      model.save(dir, TrainingRun.MODEL_NAME);
    }
  }

  // Held-out images alternate between trainval and test; a class is present when the image is in
  // its emoji group. The first test image of the first class is marked difficult.
  private static void writeVoc(DemoCorpus corpus) throws IOException {
    Path root = corpus.vocEmoji();
    Path main = root.resolve("ImageSets/Main");
    Files.createDirectories(main);
    Files.createDirectories(root.resolve("JPEGImages"));
    List<CaptionedImage> images = CocoCaptions.read(corpus.heldoutAnnotations());
    ZeroShotTask groups = corpus.emojiGroups();
    List<List<String>> splits = List.of(new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < images.size(); i++) {
      CaptionedImage image = images.get(i);
      String id = Long.toString(image.id());
      Files.copy(
          corpus.heldoutImages().resolve(image.fileName()),
          root.resolve("JPEGImages").resolve(id + ".png"));
      splits.get(i % 2).add(id);
    }
    Files.write(main.resolve("trainval.txt"), splits.get(0));
    Files.write(main.resolve("test.txt"), splits.get(1));
    for (int c = 0; c < VOC_CLASSES.size(); c++) {
      int group = groups.classNames().indexOf(GROUPS.get(c));
      for (String split : List.of("trainval", "test")) {
        List<String> lines = new ArrayList<>();
        boolean markDifficult = c == 0 && split.equals("test");
        for (String id : splits.get(split.equals("trainval") ? 0 : 1)) {
          boolean present = groups.labelByImageId().get(Long.parseLong(id)) == group;
          String label = present ? "1" : "-1";
          if (markDifficult && present) {
            label = "0";
            markDifficult = false;
          }
          lines.add(id + " " + label);
        }
        Files.write(main.resolve(VOC_CLASSES.get(c) + "_" + split + ".txt"), lines);
      }
    }
    Files.write(root.resolve("classes.txt"), VOC_CLASSES);
  }

  // Ten classes of 28x28 images, each a bright horizontal band at its own height over noise.
  private static void writeFashion(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve("classes.txt"), FASHION_CLASSES);
    writeIdx(dir, "train", 60, 1);
    writeIdx(dir, "t10k", 20, 2);
  }

  private static void writeIdx(Path dir, String prefix, int count, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 28 * 28];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < 28 * 28; p++) {
        int row = p / 28;
        boolean band = row >= 2 + 2 * labels[i] && row < 4 + 2 * labels[i];
        pixels[i * 784 + p] = (byte) (band ? 255 : random.nextInt(40));
      }
    }
    try (DataOutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte"))) {
      out.writeInt(0x803);
      out.writeInt(count);
      out.writeInt(28);
      out.writeInt(28);
      out.write(pixels);
    }
    try (DataOutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte"))) {
      out.writeInt(0x801);
      out.writeInt(count);
      out.write(labels);
    }
  }

  private static DataOutputStream open(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new DataOutputStream(out);
  }

  private static void copy(Path source, Path target) {
    try {
      if (Files.isDirectory(source)) {
        Files.createDirectories(target);
      } else {
        Files.copy(source, target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
