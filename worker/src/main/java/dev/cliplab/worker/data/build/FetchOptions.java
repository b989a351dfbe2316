package dev.cliplab.worker.data.build;

import java.nio.file.Path;

/**
 * Where and how source packages are fetched.
 *
 * @param downloads the folder packages are fetched to and reused from
 * @param pins the checksum every package must have
 * @param npmOnly whether to leave out the Debian packages even where {@code apt-get} runs
 */
record FetchOptions(Path downloads, Pins pins, boolean npmOnly) {}
