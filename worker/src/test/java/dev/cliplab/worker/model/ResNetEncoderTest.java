package dev.cliplab.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNetEncoderTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray pool(ResNetEncoder encoder, int batch, int size) {
    Shape shape = new Shape(batch, 3, size, size);
    encoder.initialize(manager, DataType.FLOAT32, shape);
    NDArray images = manager.randomUniform(-1, 1, shape);
    return encoder.forward(new ParameterStore(manager, false), new NDList(images), false).head();
  }

  /** Trainable values only: norm scales and shifts count, running statistics do not. */
  private long trainableCount(String architecture, ResNetEncoder.Stem stem) {
    ResNetEncoder encoder =
        ResNetEncoder.builder().optArchitecture(architecture).optWidth(64).optStem(stem).build();
    encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
    long count = 0;
    for (Pair<String, Parameter> parameter : encoder.getParameters()) {
      if (parameter.getValue().requiresGradient()) {
        count += parameter.getValue().getArray().size();
      }
    }
    return count;
  }

  @ParameterizedTest(name = "{0} px with the {1} stem")
  @CsvSource({"32, SMALL", "48, STRIDED", "64, STRIDED", "64, IMAGENET", "33, STRIDED"})
  @DisplayName("ResNet-18 at width 8 pools any input size to 512 × 8/64 features")
  void resnet18PoolsAnySize(int size, ResNetEncoder.Stem stem) {
    ResNetEncoder encoder =
        ResNetEncoder.builder().optArchitecture("resnet18").optWidth(8).optStem(stem).build();
    assertThat(encoder.featureSize()).isEqualTo(64);
    assertThat(pool(encoder, 2, size).getShape()).isEqualTo(new Shape(2, 64));
  }

  @Test
  @DisplayName("ResNet-50 pools to 2048 features at width 64 and 2048 × 16/64 at width 16")
  void resnet50FeatureSize() {
    ResNetEncoder.Builder standard =
        ResNetEncoder.builder().optArchitecture("resnet50").optStem(ResNetEncoder.Stem.IMAGENET);
    assertThat(pool(standard.build(), 2, 32).getShape()).isEqualTo(new Shape(2, 2048));
    assertThat(ResNetEncoder.builder().optArchitecture("resnet50").optWidth(16).build())
        .extracting(ResNetEncoder::featureSize)
        .isEqualTo(512);
    assertThat(ResNetEncoder.builder().optArchitecture("resnet34").optWidth(16).build())
        .extracting(ResNetEncoder::featureSize)
        .isEqualTo(128);
  }

  @Test
  @DisplayName(
      "with ImageNet's stem at width 64 the parameters are torchvision's less the fc layer")
  void torchvisionParameterCounts() {
    // torchvision: resnet18 11,689,512, resnet34 21,797,672, resnet50 25,557,032 parameters; the
    // fc layer has 512 × 1000 + 1000 (ResNet-18/34) or 2048 × 1000 + 1000 (ResNet-50) of them.
    assertThat(trainableCount("resnet18", ResNetEncoder.Stem.IMAGENET)).isEqualTo(11_176_512L);
    assertThat(trainableCount("resnet34", ResNetEncoder.Stem.IMAGENET)).isEqualTo(21_284_672L);
    assertThat(trainableCount("resnet50", ResNetEncoder.Stem.IMAGENET)).isEqualTo(23_508_032L);
    // a 3×3 stem instead of 7×7 saves (49 − 9) × 3 × 64 weights
    assertThat(trainableCount("resnet18", ResNetEncoder.Stem.SMALL))
        .isEqualTo(11_176_512L - 40 * 3 * 64);
  }

  /** The encoder's output and the spatial mean of its stem's output, for the same images. */
  private NDArray[] outputAndPooledStem(ResNetEncoder encoder) {
    Shape shape = new Shape(2, 3, 8, 8);
    encoder.initialize(manager, DataType.FLOAT32, shape);
    ParameterStore ps = new ParameterStore(manager, false);
    NDArray images = manager.randomUniform(-1, 1, shape);
    NDArray stem = images;
    for (int i = 0; i < 3; i++) {
      stem = encoder.getChildren().valueAt(i).forward(ps, new NDList(stem), false).head();
    }
    NDArray output = encoder.forward(ps, new NDList(images), false).head();
    return new NDArray[] {output, stem.reshape(2, 4, -1).mean(new int[] {2})};
  }

  @Test
  @DisplayName(
      "with zero-initialised residuals an untrained stage passes the stem's output through")
  void zeroInitResidualStartsAsIdentity() {
    // One stage of two blocks at the stem's width, so no projection: each block is
    // relu(x + BN_γ=0(...)) = relu(x) = x, since x is non-negative after the stem's ReLU.
    NDArray[] zeroed =
        outputAndPooledStem(ResNetEncoder.builder().setDepths(2).optWidth(4).build());
    assertThat(zeroed[0].getShape()).isEqualTo(new Shape(2, 4));
    assertThat(zeroed[0].toFloatArray()).containsExactly(zeroed[1].toFloatArray(), within(1e-5f));

    NDArray[] plain =
        outputAndPooledStem(
            ResNetEncoder.builder().setDepths(2).optWidth(4).optZeroInitResidual(false).build());
    assertThat(plain[0].sub(plain[1]).abs().max().getFloat()).isGreaterThan(1e-3f);
  }

  @Test
  @DisplayName("the FLOP count of a tiny basic-block net matches a count by hand")
  void basicFlopsByHand() {
    // 8 px, 3×3 stride-1 stem to width 2, stages {1, 1}:
    //   stem            3·2·9 · 8·8                       = 3456 multiply-adds
    //   stage 1 block   2 × 2·2·9 · 8·8                   = 4608
    //   stage 2 block   2·4·9 · 4·4 + 4·4·9 · 4·4 + 2·4 · 4·4 (projection) = 1152 + 2304 + 128
    // total 11648 multiply-adds = 23296 FLOPs
    ResNetEncoder encoder = ResNetEncoder.builder().setDepths(1, 1).optWidth(2).build();
    assertThat(encoder.forwardFlops(8)).isEqualTo(23_296L);
  }

  @Test
  @DisplayName("the FLOP count of a tiny bottleneck net matches a count by hand")
  void bottleneckFlopsByHand() {
    // 8 px, stride-1 stem to width 2, bottleneck stages {1, 1}:
    //   stem      3·2·9 · 64                                          = 3456
    //   block 1   2→2 (1×1) 256, 2→2 (3×3) 2304, 2→8 (1×1) 1024, projection 2→8 1024 = 4608
    //   block 2   8→4 (1×1 at 8 px) 2048, 4→4 (3×3, stride 2, 4 px) 2304, 4→16 (1×1) 1024,
    //             projection 8→16 at 4 px 2048                         = 7424
    // total 15488 multiply-adds = 30976 FLOPs
    ResNetEncoder encoder =
        ResNetEncoder.builder().setDepths(1, 1).optBottleneck(true).optWidth(2).build();
    assertThat(encoder.forwardFlops(8)).isEqualTo(30_976L);
    assertThat(encoder.featureSize()).isEqualTo(16);
  }

  @Test
  @DisplayName("ImageNet's stem counts a 7×7 stride-2 convolution and a stride-2 max pool")
  void imagenetStemFlopsByHand() {
    // 16 px: 7×7 conv to 8 px, 49·3·2 · 64 = 18816; max pool to 4 px; block 2·2·9·16 × 2 = 1152
    ResNetEncoder.Builder encoder =
        ResNetEncoder.builder().setDepths(1).optWidth(2).optStem(ResNetEncoder.Stem.IMAGENET);
    assertThat(encoder.build().forwardFlops(16)).isEqualTo(2 * (18_816L + 1_152L));
  }

  @Test
  @DisplayName("at 224 px the FLOP counts agree with torchvision's published GFLOPs")
  void torchvisionFlops() {
    // torchvision lists 1.81, 3.66 and 4.09 G multiply-adds for ResNet-18/34/50 (fc included,
    // 0.5 or 2 M of them)
    assertThat(flopsAt224("resnet18")).isCloseTo(2 * 1.81e9, withinPercentage(0.5));
    assertThat(flopsAt224("resnet34")).isCloseTo(2 * 3.66e9, withinPercentage(0.5));
    assertThat(flopsAt224("resnet50")).isCloseTo(2 * 4.09e9, withinPercentage(0.5));
  }

  private static double flopsAt224(String architecture) {
    return ResNetEncoder.builder()
        .optArchitecture(architecture)
        .optStem(ResNetEncoder.Stem.IMAGENET)
        .build()
        .forwardFlops(224);
  }

  @Test
  @DisplayName("an unknown architecture is refused naming it and the known ones")
  void unknownArchitecture() {
    assertThatThrownBy(() -> ResNetEncoder.builder().optArchitecture("resnet20"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resnet20")
        .hasMessageContaining("resnet50");
  }
}
