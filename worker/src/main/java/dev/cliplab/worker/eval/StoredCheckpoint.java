package dev.cliplab.worker.eval;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cliplab.worker.data.DemoCorpus;
import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.ClipLiteModel;
import dev.cliplab.worker.train.TrainSpec;
import dev.cliplab.worker.train.TrainingRun;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint that training left in a trial directory, loaded for evaluation: the spec ({@code
 * spec.json}), the vocabulary ({@code vocabulary.txt}) and one epoch's parameters ({@code
 * clip-lite-NNNN.params}). Its features are cached in the directory's {@code features} folder.
 */
public final class StoredCheckpoint implements AutoCloseable {

  /** The folder, inside the trial directory, that holds cached features. */
  public static final String FEATURE_DIR = "features";

  private static final Pattern PARAMS =
      Pattern.compile(Pattern.quote(TrainingRun.MODEL_NAME) + "-(\\d+)\\.params");

  private final Model model;
  private final TrainSpec spec;
  private final int epoch;
  private final EvalModel evalModel;

  private StoredCheckpoint(Model model, TrainSpec spec, int epoch, EvalModel evalModel) {
    this.model = model;
    this.spec = spec;
    this.epoch = epoch;
    this.evalModel = evalModel;
  }

  /**
   * Loads a checkpoint.
   *
   * @param dir the trial directory
   * @param epoch the epoch to load; empty for the latest one there
   * @param factory builds the network the spec describes, exactly as training built it
   * @return the loaded checkpoint; close it to free its parameters
   * @throws IOException if a file is missing or does not fit the others, naming it
   */
  public static StoredCheckpoint open(Path dir, OptionalInt epoch, NetworkFactory factory)
      throws IOException {
    TrainSpec spec = readSpec(dir.resolve(TrainingRun.SPEC_FILE));
    Vocabulary vocabulary = Vocabulary.load(dir.resolve(TrainingRun.VOCABULARY_FILE));
    int chosen = epoch.isPresent() ? epoch.getAsInt() : latestEpoch(dir);
    String id = String.format(Locale.ROOT, "%s-%04d", TrainingRun.MODEL_NAME, chosen);
    Path params = dir.resolve(id + ".params");
    if (!Files.isRegularFile(params)) {
      throw new IOException(params + ": no such checkpoint");
    }
    Model model = Model.newInstance(TrainingRun.MODEL_NAME);
    try {
      ClipLiteModel network = factory.build(spec, vocabulary.size());
      model.setBlock(network);
      network.initialize(
          model.getNDManager(),
          DataType.FLOAT32,
          new Shape(1, 3, spec.imageSize(), spec.imageSize()),
          new Shape(1, spec.maxTokens()));
      Map<String, Shape> expected = shapes(network);
      model.load(dir, TrainingRun.MODEL_NAME, Map.of("epoch", Integer.toString(chosen)));
      checkShapes(params, expected, shapes(network));
      EvalModel evalModel =
          new EvalModel(
              network,
              vocabulary,
              spec.maxTokens(),
              spec.imageSize(),
              id,
              Optional.of(dir.resolve(FEATURE_DIR)));
      return new StoredCheckpoint(model, spec, chosen, evalModel);
    } catch (MalformedModelException | IllegalArgumentException | IllegalStateException e) {
      model.close();
      throw new IOException(params + ": does not fit " + TrainingRun.SPEC_FILE + ": " + e, e);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * The epochs of the checkpoints in a trial directory.
   *
   * @param dir the trial directory
   * @return each epoch and its parameters file, in epoch order
   * @throws IOException if the directory cannot be listed
   */
  public static TreeMap<Integer, Path> epochs(Path dir) throws IOException {
    TreeMap<Integer, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.params")) {
      for (Path file : files) {
        Matcher m = PARAMS.matcher(file.getFileName().toString());
        if (m.matches()) {
          found.put(Integer.parseInt(m.group(1)), file);
        }
      }
    }
    return found;
  }

  private static Map<String, Shape> shapes(ClipLiteModel network) {
    Map<String, Shape> out = new LinkedHashMap<>();
    network.getParameters().forEach(p -> out.put(p.getKey(), p.getValue().getArray().getShape()));
    return out;
  }

  // DJL takes each stored array as it is, whatever shape the block was built with, so a spec that
  // does not describe the checkpoint would only fail later, or not at all; check here instead.
  private static void checkShapes(Path params, Map<String, Shape> built, Map<String, Shape> loaded)
      throws IOException {
    for (Map.Entry<String, Shape> e : built.entrySet()) {
      Shape stored = loaded.get(e.getKey());
      if (!e.getValue().equals(stored)) {
        throw new IOException(
            params
                + ": does not fit "
                + TrainingRun.SPEC_FILE
                + ": parameter "
                + e.getKey()
                + " is "
                + stored
                + ", the spec builds "
                + e.getValue());
      }
    }
  }

  private static int latestEpoch(Path dir) throws IOException {
    TreeMap<Integer, Path> epochs = epochs(dir);
    if (epochs.isEmpty()) {
      throw new IOException(dir + ": holds no " + TrainingRun.MODEL_NAME + "-NNNN.params");
    }
    return epochs.lastKey();
  }

  private static TrainSpec readSpec(Path file) throws IOException {
    try {
      return TrainSpec.fromJson(DemoCorpus.readJson(file));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Returns the spec the checkpoint was trained with. */
  public TrainSpec spec() {
    return spec;
  }

  /** Returns the loaded epoch. */
  public int epoch() {
    return epoch;
  }

  /** Returns the network and what the evaluations need to feed it. */
  public EvalModel model() {
    return evalModel;
  }

  @Override
  public void close() {
    model.close();
  }
}
