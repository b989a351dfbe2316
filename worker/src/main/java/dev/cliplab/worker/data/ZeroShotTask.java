package dev.cliplab.worker.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A zero-shot classification task: class names and the label of each image id.
 *
 * @param name the task's name, e.g. {@code emoji-groups}
 * @param classNames the class names; a label is an index into this list
 * @param labelByImageId the class index of each labelled image, in file order
 */
public record ZeroShotTask(
    String name, List<String> classNames, Map<Long, Integer> labelByImageId) {

  /** Copies the collections so that the record stays immutable. */
  public ZeroShotTask {
    classNames = List.copyOf(classNames);
    labelByImageId = Collections.unmodifiableMap(new LinkedHashMap<>(labelByImageId));
  }
}
