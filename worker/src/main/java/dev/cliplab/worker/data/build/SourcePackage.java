package dev.cliplab.worker.data.build;

import java.util.List;

/**
 * One pinned source package of the demo corpus.
 *
 * @param name the package name
 * @param version the pinned version
 * @param kind which package client fetches it
 * @param artworkLicense the licence of the images it carries, which for emoji differs from the
 *     package's own (code and data) licence; empty when it carries no images
 */
record SourcePackage(String name, String version, Kind kind, String artworkLicense) {

  /** The package client that fetches a source. */
  public enum Kind {
    /** Fetched with {@code npm pack}, a gzipped tar. */
    NPM,
    /** Fetched with {@code apt-get download}, a Debian {@code ar} archive. */
    DEBIAN
  }

  /** Emoji vendor styles in pretraining. */
  public static final List<String> TRAIN_VENDORS = List.of("google", "apple", "facebook");

  /** The emoji vendor style held out of pretraining for the transfer tasks. */
  public static final String HELDOUT_VENDOR = "twitter";

  /** Emoji names, tags and groups. */
  public static final SourcePackage EMOJIBASE =
      new SourcePackage("emojibase-data", "17.0.0", Kind.NPM, "");

  /** Clip-art drawings as PNG. */
  public static final SourcePackage CLIPART_PNG =
      new SourcePackage(
          "openclipart-png",
          "1:0.18+dfsg-19",
          Kind.DEBIAN,
          "public domain (Open Clip Art Library)");

  /** The same drawings as SVG, whose metadata gives the captions. */
  public static final SourcePackage CLIPART_SVG =
      new SourcePackage("openclipart-svg", "1:0.18+dfsg-19", Kind.DEBIAN, "");

  /** Tux Paint's stamps: drawings and photos, each with an English sentence and a category. */
  public static final SourcePackage TUXPAINT_STAMPS =
      new SourcePackage(
          "tuxpaint-stamps-default",
          "2022.06.04-1",
          Kind.DEBIAN,
          "GPL-2 (Tux Paint stamps, Bill Kendrick and contributors)");

  /** Fashion-MNIST's IDX files, the transfer set standing in for ImageNet linear evaluation. */
  public static final SourcePackage FASHION_MNIST =
      new SourcePackage(
          "dataset-fashion-mnist",
          "0.0~git20200523.55506a9-1",
          Kind.DEBIAN,
          "MIT (Fashion-MNIST, Zalando SE)");

  /** Returns the emoji-datasource package of a vendor style. */
  public static SourcePackage emojiVendor(String vendor) {
    String artwork =
        switch (vendor) {
          case "google" -> "Apache-2.0 (Google Noto Emoji)";
          case "twitter" -> "CC-BY-4.0 (Twemoji graphics)";
          case "apple" -> "Copyright Apple Inc., not licensed for commercial use";
          case "facebook" -> "Copyright Facebook, Inc., no clear licence";
          default -> throw new IllegalArgumentException("unknown emoji vendor " + vendor);
        };
    return new SourcePackage("emoji-datasource-" + vendor, "16.0.0", Kind.NPM, artwork);
  }

  /** Returns the argument that names this package and version to its client. */
  public String spec() {
    return kind == Kind.NPM ? name + "@" + version : name + "=" + version;
  }

  /** Returns the file name the client writes, Debian's epoch colon escaped as it does. */
  public String fileName() {
    return kind == Kind.NPM
        ? name + "-" + version + ".tgz"
        : name + "_" + version.replace(":", "%3a") + "_all.deb";
  }
}
