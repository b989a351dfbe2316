/**
 * Image–caption data in the on-disk formats of the real datasets: a streaming COCO captions JSON
 * reader; readers of the classification sets (VOC {@code ImageSets/Main}, class-per-folder trees as
 * ImageNet is laid out, MNIST-style IDX files) into one {@link
 * dev.cliplab.worker.data.ClassificationSet} type; the caption tokenizer and vocabulary; a
 * memory-mapped cache of decoded pixels, built from any {@link
 * dev.cliplab.worker.data.ImageSource}, that keeps epochs from being bound by image decoding; the
 * training augmentation ({@link dev.cliplab.worker.data.Augmenter}: random resized crops, colour
 * jitter, and flips whose captions swap left and right); and the layout of the demo corpus with its
 * zero-shot task. The same readers serve the demo corpus, the committed test fixture and the real
 * datasets.
 */
package dev.cliplab.worker.data;
