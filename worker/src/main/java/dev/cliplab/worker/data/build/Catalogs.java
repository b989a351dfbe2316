package dev.cliplab.worker.data.build;

import java.util.List;
import java.util.Map;

/**
 * The metadata of every image source, read once for all corpora being built.
 *
 * @param emoji the emoji catalog
 * @param clipart the drawings' captions by key, or null when the clip-art packages are missing
 * @param stamps the usable Tux Paint stamps and their images, or null when their package is missing
 * @param skips what the catalogs left out, by reason
 */
record Catalogs(
    List<Emoji> emoji,
    Map<String, List<String>> clipart,
    StampCatalog.Stamps stamps,
    Tally skips) {}
