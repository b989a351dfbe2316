/**
 * Builds the demo corpus from public packages that the ordinary package clients fetch, each pinned
 * to a version and a SHA-256: emoji artwork and names from npm; clip-art drawings, Tux Paint stamps
 * and Fashion-MNIST from Debian. Archives are streamed, never unpacked whole; images are composited
 * on white and shrunk in parallel; only a few drawings of any one identical caption set are kept,
 * so that icon sets do not swamp contrastive batches with false negatives. The result is written in
 * COCO captions format with a held-out emoji style, plus transfer sets in their standard formats (a
 * VOC07-style multi-label set of the held-out style, Fashion-MNIST's IDX files), and a manifest,
 * written last, records every source's version, licence, checksum and contribution per split, and
 * everything left out, by reason. Bad input is either counted or stops the build with a message
 * naming the file and the id.
 */
package dev.cliplab.worker.data.build;
