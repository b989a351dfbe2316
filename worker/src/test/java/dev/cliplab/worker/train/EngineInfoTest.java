package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EngineInfoTest {

  @Test
  void theBundledCpuLibtorchIsReportedWithItsVersionAndFlavour() {
    EngineInfo info = EngineInfo.describe("cpu");
    // The pom pins pytorch-native-cpu 2.7.1 for linux-x86_64.
    assertThat(info.version()).isEqualTo("2.7.1");
    assertThat(info.flavor()).isEqualTo("cpu");
    assertThat(info.device()).isEqualTo("cpu");
    assertThat(info.toJson().getString("library")).isEqualTo(info.library());
  }

  @Test
  void aGpuThatLibtorchCannotSeeIsRefusedNamingIt() {
    int gpus = EngineInfo.describe("cpu").gpus();
    String missing = "gpu:" + gpus;
    assertThatThrownBy(() -> EngineInfo.describe(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining(gpus + " GPU(s)");
  }

  @Test
  void aMalformedDeviceIsRefused() {
    assertThatThrownBy(() -> EngineInfo.describe("tpu:0")).hasMessageContaining("'tpu:0'");
  }

  @Test
  void theFlavourIsReadFromDjlsCacheFolderName() {
    assertThat(EngineInfo.flavor("/cache/pytorch/2.7.1-20250812-cpu-linux-x86_64"))
        .isEqualTo("cpu");
    assertThat(EngineInfo.flavor("/cache/pytorch/2.7.1-cu128-linux-x86_64")).isEqualTo("cu128");
    assertThat(EngineInfo.flavor(null)).isEqualTo("unknown");
  }
}
