package dev.cliplab.worker.data.build;

import java.util.Map;

/**
 * The SHA-256 each source package must have: a package whose file differs is refused, so that a
 * corpus is always built from exactly the bytes its manifest names.
 */
final class Pins {

  /** The checksums of the pinned packages' files, as their clients fetched them. */
  static final Pins PINNED =
      new Pins(
          Map.of(
              SourcePackage.EMOJIBASE,
              "d01d0e2ca4e22cb402679532155342c71e2e871f25c32223c013b8b166ebdf5a",
              SourcePackage.emojiVendor("google"),
              "fb5fd131b362aab7a55542d2a147a79708cce0a8b1c1bbacd470172708b5c438",
              SourcePackage.emojiVendor("twitter"),
              "f64a530c63bca463bd8317fdc4615ce63a53a0c65018e4ce2d848aaba7a28877",
              SourcePackage.emojiVendor("apple"),
              "b34d1665e136f163b0d4433318df151895b785186e8c729b2211b43017945075",
              SourcePackage.emojiVendor("facebook"),
              "017038cf5a4e7fcf03dd9133cbed43d4c281c4b3ce7b927c7160261b92b8821e",
              SourcePackage.CLIPART_PNG,
              "f07f1545a2970c2cf3fa339bc2405da1a95cf2b1827bfa05bf73eb1c20291c02",
              SourcePackage.CLIPART_SVG,
              "989712d90d57dfa3230049f553bb43b76c30ee4d4b8c5f6e106e33f7db5cbdc5",
              SourcePackage.TUXPAINT_STAMPS,
              "6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34",
              SourcePackage.FASHION_MNIST,
              "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0"));

  private final Map<SourcePackage, String> sha256;

  /** Pins packages to checksums; tests pin the small packages they write. */
  Pins(Map<SourcePackage, String> sha256) {
    this.sha256 = Map.copyOf(sha256);
  }

  /** Returns the pinned checksum of a package. */
  String expected(SourcePackage pkg) {
    String sha = sha256.get(pkg);
    if (sha == null) {
      throw new IllegalStateException(pkg.spec() + " has no pinned SHA-256");
    }
    return sha;
  }
}
