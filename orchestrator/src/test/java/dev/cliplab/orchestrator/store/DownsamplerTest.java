package dev.cliplab.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cliplab.orchestrator.store.Downsampler.Point;
import dev.cliplab.orchestrator.store.Downsampler.Summary;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

  private static final double NAN = Double.NaN;
  private static final double INF = Double.POSITIVE_INFINITY;

  private static List<Summary> series(double... values) {
    List<Summary> out = new ArrayList<>();
    for (int step = 0; step < values.length; step++) {
      out.add(Summary.point(step, values[step]));
    }
    return out;
  }

  @Test
  @DisplayName("each of points/4 ranges keeps its first, smallest, largest and last point")
  void keepsFirstMinMaxLastOfEachRange() {
    // Two ranges of ten steps; by hand: range 0..9 starts at (0, 5), dips to 0 at step 8, peaks
    // at 9 at step 7 and ends at (9, 6); range 10..19 starts at (10, 7), its largest is the NaN at
    // 11 (NaN orders above +Infinity), its smallest the -Infinity at 14, and it ends at (19, 3).
    List<Summary> points =
        series(5, 3, 8, 1, 4, 4, 2, 9, 0, 6, 7, NAN, 2, 2, -INF, 5, 5, INF, 1, 3);

    List<Point> kept = Downsampler.m4(points, 8);

    assertThat(kept)
        .containsExactly(
            new Point(0, 5),
            new Point(7, 9),
            new Point(8, 0),
            new Point(9, 6),
            new Point(10, 7),
            new Point(11, NAN),
            new Point(14, -INF),
            new Point(19, 3));
  }

  @Test
  @DisplayName("a tie keeps the earliest step, and a point that is several roles is sent once")
  void tiesKeepTheEarliestStepAndPointsAreNotRepeated() {
    // One range (4 points): 2 is both first and max, the two 1s tie for min and step 1 wins.
    List<Point> kept = Downsampler.m4(series(2, 1, 1, 2, 1.5), 4);

    assertThat(kept).containsExactly(new Point(0, 2), new Point(1, 1), new Point(4, 1.5));
  }

  @Test
  @DisplayName("summaries of stored buckets merge as their points would")
  void bucketSummariesMergeLikePoints() {
    // Buckets 0 and 1 form one range when 4 buckets are cut into 2 ranges.
    List<Summary> buckets =
        List.of(
            new Summary(0, 0, 1, 999, 2, 10, -1, 500, 7),
            new Summary(1, 1000, 3, 1999, 4, 1500, -5, 1001, 7),
            new Summary(2, 2000, 0, 2999, 0, 2000, 0, 2000, 0),
            new Summary(3, 3000, 1, 3999, 1, 3000, 1, 3000, 1));

    List<Point> kept = Downsampler.m4(buckets, 8);

    assertThat(kept)
        .containsExactly(
            new Point(0, 1),
            new Point(500, 7),
            new Point(1500, -5),
            new Point(1999, 4),
            new Point(2000, 0),
            new Point(3000, 1),
            new Point(3999, 1));
  }
}
