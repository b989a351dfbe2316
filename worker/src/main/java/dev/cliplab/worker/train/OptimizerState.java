package dev.cliplab.worker.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Per-parameter state of one optimiser, keyed by parameter name: arrays in named slots (momentum
 * buffers, Adam moments, Lookahead's slow weights) and update counts, written to a stream and read
 * back bit for bit, so that a run resumed in a new process continues exactly as it would have.
 *
 * <p>As in DJL's optimisers, a parameter trained on several devices has one copy of its state per
 * device; the copies are equal, so one is saved, and a restored array is copied to each device the
 * first time that device asks for it.
 */
final class OptimizerState {

  private static final String MAGIC = "cliplab-optimizer-state";
  private static final int VERSION = 1;

  private final String kind;
  private final List<String> slots;
  private final Map<String, Map<String, Map<Device, NDArray>>> arrays = new ConcurrentHashMap<>();
  private final Map<String, Map<Device, Integer>> counts = new ConcurrentHashMap<>();
  private final Map<String, Integer> restoredCounts = new ConcurrentHashMap<>();

  /**
   * Creates empty state.
   *
   * @param kind names the optimiser, so that state is never loaded into another kind
   * @param slots the names of the per-parameter arrays it keeps
   */
  OptimizerState(String kind, String... slots) {
    this.kind = kind;
    this.slots = List.of(slots);
    this.slots.forEach(slot -> arrays.put(slot, new ConcurrentHashMap<>()));
  }

  /**
   * Counts one more update of a parameter on a device.
   *
   * @param name the parameter name
   * @param device the device of the copy being updated
   * @return the number of updates so far, this one included, from 1
   */
  int nextCount(String name, Device device) {
    int restored = restoredCounts.getOrDefault(name, 0);
    return counts
        .computeIfAbsent(name, n -> new ConcurrentHashMap<>())
        .merge(device, restored + 1, (old, one) -> old + 1);
  }

  /**
   * A parameter's array in a slot, on the weight's device, created on first use.
   *
   * @param slot the slot
   * @param name the parameter name
   * @param weight the parameter's weight on the device being updated
   * @param initial makes the first value from the weight, e.g. zeros or a copy
   * @return the live array; the optimiser updates it in place
   */
  NDArray array(String slot, String name, NDArray weight, UnaryOperator<NDArray> initial) {
    Map<Device, NDArray> copies =
        arrays.get(slot).computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    return copies.computeIfAbsent(
        weight.getDevice(),
        device ->
            copies.isEmpty()
                ? initial.apply(weight)
                : copies.values().iterator().next().toDevice(device, true));
  }

  /**
   * The names of the parameters that have state.
   *
   * @return parameter names, sorted
   */
  List<String> names() {
    TreeMap<String, Boolean> names = new TreeMap<>();
    counts.keySet().forEach(n -> names.put(n, true));
    restoredCounts.keySet().forEach(n -> names.put(n, true));
    arrays.values().forEach(slot -> slot.keySet().forEach(n -> names.put(n, true)));
    return new ArrayList<>(names.keySet());
  }

  /**
   * Writes the counts and arrays.
   *
   * @param out the stream
   * @throws IOException if the stream fails
   */
  void save(DataOutputStream out) throws IOException {
    out.writeUTF(MAGIC);
    out.writeInt(VERSION);
    out.writeUTF(kind);
    Map<String, Integer> saved = new TreeMap<>(restoredCounts);
    counts.forEach(
        (name, perDevice) ->
            saved.put(name, perDevice.values().stream().max(Integer::compare).get()));
    out.writeInt(saved.size());
    for (Map.Entry<String, Integer> count : saved.entrySet()) {
      out.writeUTF(count.getKey());
      out.writeInt(count.getValue());
    }
    out.writeInt(slots.size());
    for (String slot : slots) {
      out.writeUTF(slot);
      Map<String, NDArray> first = new TreeMap<>();
      arrays
          .get(slot)
          .forEach((name, copies) -> first.put(name, copies.values().iterator().next()));
      out.writeInt(first.size());
      for (Map.Entry<String, NDArray> entry : first.entrySet()) {
        out.writeUTF(entry.getKey());
        byte[] bytes = entry.getValue().encode();
        out.writeInt(bytes.length);
        out.write(bytes);
      }
    }
  }

  /**
   * Replaces this state with state written by {@link #save} from the same kind of optimiser.
   *
   * @param in the stream
   * @param manager the manager the restored arrays are attached to; it must outlive training
   * @throws IOException if the stream fails, or holds another kind of optimiser's state
   */
  void load(DataInputStream in, NDManager manager) throws IOException {
    String magic = in.readUTF();
    if (!MAGIC.equals(magic)) {
      throw new IOException("not optimiser state: starts with " + magic);
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("optimiser state version " + version + " is not " + VERSION);
    }
    String savedKind = in.readUTF();
    if (!kind.equals(savedKind)) {
      throw new IOException("optimiser state is for " + savedKind + ", not " + kind);
    }
    clear();
    int countEntries = in.readInt();
    for (int i = 0; i < countEntries; i++) {
      restoredCounts.put(in.readUTF(), in.readInt());
    }
    int slotCount = in.readInt();
    for (int s = 0; s < slotCount; s++) {
      readSlot(in, manager);
    }
  }

  private void readSlot(DataInputStream in, NDManager manager) throws IOException {
    String slot = in.readUTF();
    Map<String, Map<Device, NDArray>> target = arrays.get(slot);
    if (target == null) {
      throw new IOException("optimiser state of " + kind + " has an unknown slot " + slot);
    }
    int entries = in.readInt();
    for (int i = 0; i < entries; i++) {
      String name = in.readUTF();
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      NDArray array = NDArray.decode(manager, bytes);
      target.computeIfAbsent(name, n -> new ConcurrentHashMap<>()).put(array.getDevice(), array);
    }
  }

  private void clear() {
    arrays.values().forEach(slot -> slot.values().forEach(c -> c.values().forEach(NDArray::close)));
    arrays.values().forEach(Map::clear);
    counts.clear();
    restoredCounts.clear();
  }
}
