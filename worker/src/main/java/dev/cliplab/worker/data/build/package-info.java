/**
 * Builds the demo corpus from public packages that the ordinary package clients fetch: emoji
 * artwork and names from npm, clip-art drawings and their metadata from Debian. Archives are
 * streamed, never unpacked whole; images are composited on white and shrunk in parallel; the result
 * is written in COCO captions format with a held-out emoji style for transfer tasks, and a
 * manifest, written last, records every source's version, licence and checksum.
 */
package dev.cliplab.worker.data.build;
