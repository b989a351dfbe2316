/**
 * Builds the demo corpus from public packages that the ordinary package clients fetch: emoji
 * artwork and names from npm, clip-art drawings and their metadata from Debian. Archives are
 * streamed, never unpacked whole; images are composited on white and shrunk in parallel; only a few
 * drawings of any one identical caption set are kept, so that icon sets do not swamp contrastive
 * batches with false negatives; the result is written in COCO captions format with a held-out emoji
 * style for transfer tasks, and a manifest, written last, records every source's version, licence
 * and checksum and the images left out, by reason.
 */
package dev.cliplab.worker.data.build;
