package dev.cliplab.worker.data.build;

import java.nio.file.Path;

/**
 * A source package present in the downloads folder, with its checksum.
 *
 * @param pkg the package
 * @param file the downloaded file
 * @param bytes its length
 * @param sha256 its SHA-256, lower-case hex
 * @param reused whether it was already there rather than fetched now
 */
record FetchedSource(SourcePackage pkg, Path file, long bytes, String sha256, boolean reused) {}
