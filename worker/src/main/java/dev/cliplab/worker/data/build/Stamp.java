package dev.cliplab.worker.data.build;

import java.util.List;

/**
 * One Tux Paint stamp with a PNG image and an English description.
 *
 * @param key its path below the stamps folder, without extension ({@code animals/amphibians/frog})
 * @param image the package path of its PNG
 * @param captions its description's first line, then its category as a phrase when it has one
 */
record Stamp(String key, String image, List<String> captions) {}
