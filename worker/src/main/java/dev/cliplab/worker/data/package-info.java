/**
 * Image–caption data in the on-disk formats of the real datasets: COCO captions JSON readers, the
 * caption tokenizer and vocabulary, a memory-mapped cache of decoded pixels that keeps training
 * epochs from being bound by PNG decoding, and the layout of the demo corpus with its zero-shot
 * task. The same readers serve the demo corpus, the committed test fixture and COCO itself.
 */
package dev.cliplab.worker.data;
