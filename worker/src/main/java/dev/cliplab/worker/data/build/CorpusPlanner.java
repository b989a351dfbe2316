package dev.cliplab.worker.data.build;

import dev.cliplab.worker.data.build.ImagePass.Target;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the images of one corpus: every emoji of the plan's styles, the held-out style's emoji,
 * Tux Paint stamps, and clip art as the PNG package streams by; registers each as a {@link
 * CorpusItem} keyed by the file it will be written to.
 */
final class CorpusPlanner {

  static final String CLIPART_STYLE = "openclipart";
  static final String STAMP_STYLE = "tuxpaint";

  private final BuildPlan plan;
  private final Path root;
  private final Map<String, List<String>> clipart;
  private final long clipartThreshold;
  private final Map<Path, CorpusItem> items = new LinkedHashMap<>();
  private final Map<String, Map<String, List<Target>>> emojiTargets = new HashMap<>();
  private final Map<String, List<Target>> stampTargets = new HashMap<>();
  private final Tally skips = new Tally();

  /**
   * Plans a corpus.
   *
   * @param plan what to build
   * @param root the corpus folder
   * @param catalogs the sources' metadata
   */
  CorpusPlanner(BuildPlan plan, Path root, Catalogs catalogs) {
    this.plan = plan;
    this.skips.addAll(catalogs.skips());
    this.root = root;
    this.clipart = catalogs.clipart();
    long captioned = clipart == null ? 0 : clipart.values().stream().filter(this::usable).count();
    double share = plan.clipart() < 0 || captioned == 0 ? 1 : (double) plan.clipart() / captioned;
    this.clipartThreshold = (long) (Long.MAX_VALUE * Math.min(1, share));
    List<Emoji> heldout = chooseHeldout(catalogs.emoji());
    List<Emoji> train = chooseTrain(catalogs.emoji(), heldout);
    int styles = plan.trainVendors().size();
    for (int v = 0; v < styles; v++) {
      addEmoji(train, plan.trainVendors().get(v), v, false);
    }
    if (catalogs.stamps() != null) {
      addStamps(catalogs.stamps().stamps(), styles + 1);
    }
    addEmoji(heldout, SourcePackage.HELDOUT_VENDOR, styles + 2, true);
  }

  /** Returns the targets of a vendor package's wanted entries, by entry path. */
  Map<String, List<Target>> emojiTargets(String vendor) {
    return emojiTargets.getOrDefault(vendor, Map.of());
  }

  /** Returns the targets of the stamps package's wanted entries, by entry path. */
  Map<String, List<Target>> stampTargets() {
    return stampTargets;
  }

  /**
   * Decides on a PNG package entry as it streams by: a chosen drawing with usable captions gets a
   * target; one without is counted by reason.
   */
  List<Target> clipartTargets(String path) {
    String key = ClipartCatalog.key(path, ClipartCatalog.PNG_ROOT, ".png");
    if (key == null || clipart == null || Digests.rank("clipart", key) >= clipartThreshold) {
      return List.of();
    }
    if (!clipart.containsKey(key)) {
      skips.add("clip art without an SVG twin");
      return List.of();
    }
    List<String> captions = clipart.get(key);
    if (captions == null) {
      skips.add("clip art whose SVG metadata does not parse");
      return List.of();
    }
    if (captions.isEmpty()) {
      skips.add("clip art without a usable caption");
      return List.of();
    }
    String fileName = CLIPART_STYLE + "-" + key.replace('/', '-') + ".png";
    CorpusItem item =
        new CorpusItem(
            CLIPART_STYLE,
            CLIPART_STYLE + ":" + key,
            plan.trainVendors().size(),
            key,
            fileName,
            captions,
            null,
            List.of(),
            false,
            SourcePackage.CLIPART_PNG,
            SourcePackage.CLIPART_SVG);
    return register(item);
  }

  /** Returns the chosen items by the file each is written to. */
  Map<Path, CorpusItem> items() {
    return items;
  }

  /** Takes a chosen item out of the corpus again, counting it under the reason. */
  void drop(Path file, String reason) {
    if (items.remove(file) != null) {
      skips.add(reason);
    }
  }

  /** Returns the counts of images left out while choosing, by reason. */
  Tally skips() {
    return skips;
  }

  BuildPlan plan() {
    return plan;
  }

  Path root() {
    return root;
  }

  private boolean usable(List<String> captions) {
    return captions != null && !captions.isEmpty();
  }

  private List<Emoji> chooseHeldout(List<Emoji> emoji) {
    List<Emoji> styled =
        emoji.stream().filter(e -> e.vendors().contains(SourcePackage.HELDOUT_VENDOR)).toList();
    skips.add(
        "emoji without an image in the " + SourcePackage.HELDOUT_VENDOR + " style",
        emoji.size() - styled.size());
    if (plan.heldoutPerClass() < 0) {
      return styled;
    }
    Map<String, List<Emoji>> byGroup = new TreeMap<>();
    for (Emoji e : styled) {
      byGroup.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(e);
    }
    Set<Emoji> chosen = new LinkedHashSet<>();
    for (List<Emoji> members : byGroup.values()) {
      members.stream()
          .sorted(Comparator.comparingLong(e -> Digests.rank("heldout", e.hexcode())))
          .limit(plan.heldoutPerClass())
          .forEach(chosen::add);
    }
    return styled.stream().filter(chosen::contains).toList();
  }

  // A small corpus pretrains on the held-out emoji's concepts first, as the full one does on all
  // of them, so that zero-shot transfer is about the style and not about unseen concepts.
  private List<Emoji> chooseTrain(List<Emoji> emoji, List<Emoji> heldout) {
    if (plan.trainEmoji() < 0) {
      return emoji;
    }
    Set<Emoji> chosen = new LinkedHashSet<>(heldout);
    emoji.stream()
        .sorted(Comparator.comparingLong(e -> Digests.rank("train", e.hexcode())))
        .forEach(
            e -> {
              if (chosen.size() < plan.trainEmoji()) {
                chosen.add(e);
              }
            });
    return emoji.stream().filter(chosen::contains).toList();
  }

  private void addEmoji(List<Emoji> emoji, String vendor, int styleRank, boolean heldout) {
    Map<String, List<Target>> targets = emojiTargets.computeIfAbsent(vendor, v -> new HashMap<>());
    for (Emoji e : emoji) {
      if (!e.vendors().contains(vendor)) {
        skips.add("emoji without an image in the " + vendor + " style");
        continue;
      }
      CorpusItem item =
          new CorpusItem(
              vendor,
              "emoji:" + e.hexcode(),
              styleRank,
              String.format("%06d", e.sortOrder()),
              "emoji-" + vendor + "-" + e.image(),
              e.captions(),
              e.group(),
              e.tags().stream().filter(t -> !t.equalsIgnoreCase(e.label())).toList(),
              heldout,
              SourcePackage.emojiVendor(vendor),
              SourcePackage.EMOJIBASE);
      targets.put("img/" + vendor + "/64/" + e.image(), register(item));
    }
  }

  // Stamps with the same sentence ("A frog.") are one concept, so that validation never holds a
  // near-copy of a training stamp.
  private void addStamps(List<Stamp> stamps, int styleRank) {
    List<Stamp> chosen =
        plan.stamps() < 0
            ? stamps
            : stamps.stream()
                .sorted(Comparator.comparingLong(s -> Digests.rank("stamps", s.key())))
                .limit(plan.stamps())
                .toList();
    for (Stamp s : chosen) {
      CorpusItem item =
          new CorpusItem(
              STAMP_STYLE,
              STAMP_STYLE + ":" + s.captions().get(0).toLowerCase(Locale.ROOT),
              styleRank,
              s.key(),
              STAMP_STYLE + "-" + s.key().replace('/', '-') + ".png",
              s.captions(),
              null,
              List.of(),
              false,
              SourcePackage.TUXPAINT_STAMPS,
              SourcePackage.TUXPAINT_STAMPS);
      stampTargets.put(s.image(), register(item));
    }
  }

  private List<Target> register(CorpusItem item) {
    Path dir = root.resolve(item.heldout() ? "heldout/images" : "pretrain/images");
    Path file = dir.resolve(item.fileName());
    if (items.putIfAbsent(file, item) != null) {
      skips.add("image whose file name another image already has");
      return List.of();
    }
    return List.of(new Target(file, plan.longSide()));
  }

  /** Returns the emoji groups in emojibase's order, for the zero-shot classes. */
  static List<String> groupOrder(Collection<Emoji> emoji) {
    Map<Integer, String> byOrder = new TreeMap<>();
    emoji.forEach(e -> byOrder.put(e.groupOrder(), e.group()));
    return List.copyOf(byOrder.values());
  }
}
