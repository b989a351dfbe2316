package dev.cliplab.worker.data.build;

/**
 * An item that was written, with its final id, split and size.
 *
 * @param item the chosen item
 * @param id its image id, unique in the corpus
 * @param split {@code train}, {@code val} or {@code heldout}
 * @param width its width in pixels
 * @param height its height in pixels
 */
record Placed(CorpusItem item, long id, String split, int width, int height) {}
