package dev.cliplab.worker.data.build;

import java.util.List;

/**
 * One image chosen for a corpus, before it is written.
 *
 * @param style the drawing style: an emoji vendor, {@code openclipart} or {@code tuxpaint}
 * @param concept what the image shows, shared by all styles of one emoji, so that splits never
 *     separate the styles of one concept
 * @param styleRank the style's position in the corpus, which orders items first
 * @param sortKey the item's position within its style: emoji order or drawing path
 * @param fileName the image's file name in its split's image folder
 * @param captions its captions
 * @param group its emoji group, or null for clip art and stamps
 * @param tags its emoji keyword tags except one that is its whole label (such a tag names the one
 *     emoji, not a kind of emoji), the candidate classes of the VOC-style set; empty for clip art
 *     and stamps
 * @param heldout whether it belongs to the held-out split
 * @param imageSource the package its image comes from
 * @param captionSource the package whose metadata gives most of its captions
 */
record CorpusItem(
    String style,
    String concept,
    int styleRank,
    String sortKey,
    String fileName,
    List<String> captions,
    String group,
    List<String> tags,
    boolean heldout,
    SourcePackage imageSource,
    SourcePackage captionSource) {

  /** Copies the lists so that the record stays immutable. */
  CorpusItem {
    captions = List.copyOf(captions);
    tags = List.copyOf(tags);
  }
}
