package dev.cliplab.worker.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which libtorch a worker trains with and on which device: the PyTorch version, its flavour ({@code
 * cpu}, {@code cu124}, ...), where the native library was loaded from, the CUDA runtime and GPU
 * count libtorch sees, and its thread count.
 *
 * @param version the PyTorch version, e.g. {@code 2.7.1}
 * @param flavor the native build's flavour, e.g. {@code cpu} or {@code cu124}
 * @param library the folder libtorch was loaded from
 * @param device the device trials run on, {@code cpu} or {@code gpu:N}
 * @param gpus GPUs visible to libtorch
 * @param cuda the CUDA runtime version, or {@code none}
 * @param threads intra-op threads
 */
public record EngineInfo(
    String version,
    String flavor,
    String library,
    String device,
    int gpus,
    String cuda,
    int threads) {

  /**
   * Loads the engine (with {@link EngineSetup}'s threads when it is not loaded yet) and describes
   * it for a device.
   *
   * @param deviceName {@code cpu} or {@code gpu:N}
   * @return the description
   * @throws IllegalArgumentException naming the device when it is malformed or not present
   */
  public static EngineInfo describe(String deviceName) {
    Engine engine = EngineSetup.engine(0);
    Device device = device(deviceName, engine);
    String library = LibUtils.getLibtorchPath();
    String cuda = CudaUtils.hasCuda() ? CudaUtils.getCudaVersionString() : "none";
    return new EngineInfo(
        engine.getVersion(),
        flavor(library),
        library,
        device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu",
        engine.getGpuCount(),
        cuda,
        Integer.getInteger("ai.djl.pytorch.num_threads", 0));
  }

  /**
   * Parses a device name and checks that libtorch can use it.
   *
   * @param name {@code cpu} or {@code gpu:N} (also {@code gpu} for {@code gpu:0})
   * @param engine the loaded engine
   * @return the device
   * @throws IllegalArgumentException naming the device and what this host has
   */
  static Device device(String name, Engine engine) {
    String normalised = name.strip().toLowerCase(Locale.ROOT);
    if ("cpu".equals(normalised)) {
      return Device.cpu();
    }
    if (!normalised.matches("gpu(:\\d+)?")) {
      throw new IllegalArgumentException(
          "device '" + name + "' is not 'cpu' or 'gpu:N' (N counting from 0)");
    }
    int id = normalised.contains(":") ? Integer.parseInt(normalised.substring(4)) : 0;
    int gpus = engine.getGpuCount();
    if (id >= gpus) {
      throw new IllegalArgumentException(
          "device '"
              + name
              + "' is not available: libtorch "
              + engine.getVersion()
              + " ("
              + flavor(LibUtils.getLibtorchPath())
              + ") sees "
              + gpus
              + " GPU(s); a CUDA build of libtorch is needed for GPUs (see the README)");
    }
    return Device.gpu(id);
  }

  /**
   * The flavour from the name of the folder DJL keeps each native build in, e.g. {@code
   * 2.7.1-20250812-cpu-linux-x86_64}; for a libtorch given by {@code PYTORCH_LIBRARY_PATH}, the
   * {@code PYTORCH_FLAVOR} it was declared with.
   */
  static String flavor(String library) {
    if (library == null) {
      return "unknown";
    }
    for (String part : Path.of(library).getFileName().toString().split("-")) {
      if (part.matches("cpu|cu\\d+|rocm[\\d.]*")) {
        return part;
      }
    }
    String declared = System.getenv("PYTORCH_FLAVOR");
    return declared != null ? declared + " (PYTORCH_LIBRARY_PATH)" : "custom";
  }

  /**
   * This description as JSON, for the worker registry and trial records.
   *
   * @return snake_case fields
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("engine", "PyTorch")
        .put("version", version)
        .put("flavor", flavor)
        .put("library", library)
        .put("device", device)
        .put("gpus", gpus)
        .put("cuda", cuda)
        .put("threads", threads);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PyTorch %s (%s) from %s on %s, %d GPU(s) visible, CUDA %s, %d threads",
        version,
        flavor,
        library,
        device,
        gpus,
        cuda,
        threads);
  }
}
