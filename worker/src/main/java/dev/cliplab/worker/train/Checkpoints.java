package dev.cliplab.worker.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The resumable checkpoints of a run under {@code <work dir>/checkpoints/step-NNNNNNNNN/}: the
 * model's parameters (batch-norm statistics included), the optimiser's state and {@code state.json}
 * with the step, the position in the epoch and the spec. A checkpoint is written to a temporary
 * folder and renamed when complete, so a crash mid-write leaves the previous one usable; only the
 * newest {@link #KEEP} are kept.
 */
final class Checkpoints {

  /** The folder under the work directory. */
  static final String DIR = "checkpoints";

  static final String STATE = "state.json";
  static final String OPTIMIZER = "optimizer.bin";
  static final int KEEP = 2;

  private static final String PREFIX = "step-";

  /**
   * Where a run stands at a checkpoint.
   *
   * @param step optimiser steps taken
   * @param epoch the epoch in progress, from 0 ({@code epochs} once training is over)
   * @param batch batches of that epoch already taken
   * @param loss the loss of the last step
   * @param epochLoss the running mean loss of the epoch in progress and the last epoch's mean
   * @param dir the checkpoint's folder
   */
  record Position(long step, int epoch, int batch, double loss, EpochLoss epochLoss, Path dir) {}

  private final Path root;
  private final TrainSpec spec;

  Checkpoints(Path workDir, TrainSpec spec) {
    this.root = workDir.resolve(DIR);
    this.spec = spec;
  }

  /**
   * Writes a checkpoint and prunes older ones.
   *
   * @return the checkpoint's folder
   * @throws IOException if it cannot be written
   */
  Path save(
      Model model,
      TrainingOptimizer optimizer,
      long step,
      int epoch,
      int batch,
      double loss,
      EpochLoss epochLoss)
      throws IOException {
    Path dir = root.resolve(String.format(Locale.ROOT, "%s%09d", PREFIX, step));
    Path partial = root.resolve(dir.getFileName() + ".partial");
    deleteTree(partial);
    Files.createDirectories(partial);
    model.setProperty("Step", Long.toString(step));
    model.save(partial, TrainingRun.MODEL_NAME);
    try (OutputStream file = Files.newOutputStream(partial.resolve(OPTIMIZER));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
      optimizer.save(out);
    }
    JsonObject state =
        new JsonObject()
            .put("step", step)
            .put("epoch", epoch)
            .put("batch", batch)
            .put("loss", Double.isFinite(loss) ? loss : null)
            .put("epoch_loss", epochLoss.toJson())
            .put("spec", spec.toJson());
    Files.writeString(partial.resolve(STATE), state.encodePrettily());
    deleteTree(dir);
    Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
    prune();
    return dir;
  }

  /**
   * The newest complete checkpoint.
   *
   * @return it, or empty when the run has none
   * @throws IOException if it was written for another spec, or cannot be read
   */
  Optional<Position> latest() throws IOException {
    List<Path> complete = complete();
    if (complete.isEmpty()) {
      return Optional.empty();
    }
    Path dir = complete.get(complete.size() - 1);
    JsonObject state = new JsonObject(Files.readString(dir.resolve(STATE)));
    TrainSpec written = TrainSpec.fromJson(state.getJsonObject("spec"));
    if (!written.equals(spec)) {
      throw new IOException(
          dir
              + " was written for other parameters ("
              + written.toJson().encode()
              + "); resume with those or write to another folder");
    }
    Double loss = state.getDouble("loss");
    return Optional.of(
        new Position(
            state.getLong("step"),
            state.getInteger("epoch"),
            state.getInteger("batch"),
            loss == null ? Double.NaN : loss,
            EpochLoss.fromJson(state.getJsonObject("epoch_loss")),
            dir));
  }

  /**
   * Loads a checkpoint's parameters into the model and its state into the optimiser.
   *
   * <p>The parameters are read into a twin of the network and copied into the live arrays in place:
   * the trainer keeps references to those arrays, so replacing them, as {@code Model.load} would,
   * leaves it training the old ones.
   *
   * @param twin a new, uninitialised network of the same architecture
   * @param manager the manager restored optimiser arrays live in; it must outlive training
   * @throws IOException if the files are missing or do not fit the model
   */
  static void restore(
      Position position, Model model, Block twin, TrainingOptimizer optimizer, NDManager manager)
      throws IOException {
    try (Model reader =
        Model.newInstance(TrainingRun.MODEL_NAME, model.getNDManager().getDevice())) {
      reader.setBlock(twin);
      reader.load(position.dir(), TrainingRun.MODEL_NAME);
      List<Parameter> live = model.getBlock().getParameters().values();
      List<Parameter> saved = twin.getParameters().values();
      if (live.size() != saved.size()) {
        throw new IOException(position.dir() + ": parameters do not fit the model");
      }
      for (int i = 0; i < live.size(); i++) {
        NDArray target = live.get(i).getArray();
        NDArray source = saved.get(i).getArray();
        if (!target.getShape().equals(source.getShape())) {
          throw new IOException(
              position.dir()
                  + ": parameter "
                  + i
                  + " has shape "
                  + source.getShape()
                  + ", the model expects "
                  + target.getShape());
        }
        target.set(source.toByteBuffer());
      }
    } catch (MalformedModelException e) {
      throw new IOException(position.dir() + ": parameters do not fit the model", e);
    }
    try (InputStream file = Files.newInputStream(position.dir().resolve(OPTIMIZER));
        DataInputStream in = new DataInputStream(new BufferedInputStream(file))) {
      optimizer.load(in, manager);
    }
  }

  private List<Path> complete() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> children = Files.list(root)) {
      children
          .filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .forEach(dirs::add);
    }
    return dirs;
  }

  private void prune() throws IOException {
    List<Path> complete = complete();
    for (int i = 0; i < complete.size() - KEEP; i++) {
      deleteTree(complete.get(i));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
