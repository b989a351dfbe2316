package dev.cliplab.worker.eval;

import dev.cliplab.worker.data.Vocabulary;
import dev.cliplab.worker.model.ClipLiteModel;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A trained (or untrained) network to evaluate, with what is needed to feed it and where its
 * features may be cached.
 *
 * @param network the initialised network, whose parameters stay frozen
 * @param vocabulary the vocabulary it was trained with
 * @param maxTokens the caption length it was trained with
 * @param imageSize the input side it was trained at, px; images are evaluated at this size
 * @param checkpointId names the weights in feature cache files, such as {@code clip-lite-0008} or
 *     {@code untrained}; letters, digits, '.', '_' and '-'
 * @param featureDir where extracted features are cached, usually {@code <trial dir>/features};
 *     empty to extract them every time
 */
public record EvalModel(
    ClipLiteModel network,
    Vocabulary vocabulary,
    int maxTokens,
    int imageSize,
    String checkpointId,
    Optional<Path> featureDir) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  /** Checks the values. */
  public EvalModel {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(vocabulary, "vocabulary");
    Objects.requireNonNull(featureDir, "featureDir");
    if (maxTokens < 1 || imageSize < 1) {
      throw new IllegalArgumentException(
          "maxTokens and imageSize must be positive, were " + maxTokens + " and " + imageSize);
    }
    if (!ID.matcher(checkpointId).matches()) {
      throw new IllegalArgumentException(
          "checkpoint id '" + checkpointId + "' may hold only letters, digits, '.', '_' and '-'");
    }
  }
}
