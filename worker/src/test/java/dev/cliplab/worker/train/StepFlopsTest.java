package dev.cliplab.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StepFlopsTest {

  private static final TrainSpec SPEC =
      TrainSpec.fromJson(
          new JsonObject()
              .put("image_size", 64)
              .put("image_encoder", "resnet10")
              .put("image_width", 16)
              .put("embed_dim", 128)
              .put("text_layers", 1)
              .put("text_hidden", 128)
              .put("text_heads", 4)
              .put("max_tokens", 30));

  @Test
  @DisplayName("a resnet10 of width 16 at 64 px counts its convolutions stage by stage")
  void imageTower() {
    // stem 3->16, stride 2 to 32x32: 2*3*16*9*1024                               =    884,736
    // stage 0, 16 channels at 32x32, two 3x3 convs: 2 * 2*16*16*9*1024          =  9,437,184
    // stages 1-3 each: 3x3 c->2c, 3x3 2c->2c, 1x1 c->2c at a quarter of the area
    //   e.g. stage 1 at 16x16: 2,359,296 + 4,718,592 + 262,144                   =  7,340,032
    //   and the same for stages 2 and 3                                  3 * 7,340,032 = 22,020,096
    // projection head 128 -> 128: three 128x128 products, 3 * 2*128*128         =     98,304
    // total                                                                     = 32,440,320
    assertThat(StepFlops.imageForward(SPEC)).isEqualTo(32_440_320.0);
  }

  @Test
  @DisplayName(
      "one transformer layer over 30 tokens counts projections, feed-forward and attention")
  void textTower() {
    // per token 4 projections 8*128^2 + feed-forward 16*128^2: 30 * 24 * 16384  = 11,796,480
    // attention scores and mixing: 4 * 30^2 * 128                                =    460,800
    // projection head: 98,304; total 12,355,584
    assertThat(StepFlops.textForward(SPEC)).isEqualTo(12_355_584.0);
  }

  @Test
  @DisplayName("a training step is three forward passes of the batch and the critic")
  void trainingStep() {
    // 3 * (4 * (32,440,320 + 12,355,584) + 2 * 4 * 4 * 128) = 537,563,136
    assertThat(StepFlops.trainingStep(SPEC, 4)).isEqualTo(537_563_136.0);
  }
}
