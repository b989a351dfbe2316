package dev.cliplab.worker.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the evaluation suite runs its tasks.
 *
 * @param pixelCacheDir where decoded pixels of the evaluation images are cached; empty for the
 *     corpus's own cache folder
 * @param batchSize images or texts per forward pass
 * @param linearRecipe the linear evaluation's training recipe
 * @param emojiTemplates the prompt templates of the held-out emoji groups
 * @param fashionTemplates the prompt templates of Fashion-MNIST
 */
public record SuiteOptions(
    Optional<Path> pixelCacheDir,
    int batchSize,
    LinearProbe.Recipe linearRecipe,
    List<String> emojiTemplates,
    List<String> fashionTemplates) {

  /** The defaults: the corpus's cache folder, batches of 256, the default recipe and templates. */
  public static final SuiteOptions DEFAULTS =
      new SuiteOptions(
          Optional.empty(),
          256,
          LinearProbe.Recipe.DEFAULT,
          ZeroShot.EMOJI_TEMPLATES,
          ZeroShot.FASHION_TEMPLATES);

  /** Checks and copies the values. */
  public SuiteOptions {
    Objects.requireNonNull(pixelCacheDir, "pixelCacheDir");
    Objects.requireNonNull(linearRecipe, "linearRecipe");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, was " + batchSize);
    }
    emojiTemplates = List.copyOf(emojiTemplates);
    fashionTemplates = List.copyOf(fashionTemplates);
    ZeroShot.prompts(emojiTemplates, List.of("x"));
    ZeroShot.prompts(fashionTemplates, List.of("x"));
  }

  /** Returns a copy that caches pixels in the given folder. */
  public SuiteOptions withPixelCacheDir(Path dir) {
    return new SuiteOptions(
        Optional.of(dir), batchSize, linearRecipe, emojiTemplates, fashionTemplates);
  }

  /** Returns a copy with another linear evaluation recipe. */
  public SuiteOptions withLinearRecipe(LinearProbe.Recipe recipe) {
    return new SuiteOptions(pixelCacheDir, batchSize, recipe, emojiTemplates, fashionTemplates);
  }

  /** Returns a copy with other zero-shot templates for the emoji groups and Fashion-MNIST. */
  public SuiteOptions withTemplates(List<String> emoji, List<String> fashion) {
    return new SuiteOptions(pixelCacheDir, batchSize, linearRecipe, emoji, fashion);
  }
}
