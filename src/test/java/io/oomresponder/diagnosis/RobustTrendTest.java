package io.oomresponder.diagnosis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RobustTrendTest {

    @Test
    void theilSenSlopeIgnoresOutliers() {
        double[] y = new double[50];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100 + 3 * i;
        }
        y[10] = 10_000;
        y[30] = -5_000;

        RobustTrend t = RobustTrend.of(y, 0, y.length, 1.0);

        assertThat(t.slopePerMinute()).isCloseTo(3.0, within(0.01));
        assertThat(t.slopeLowPerMinute()).isLessThanOrEqualTo(3.0);
        assertThat(t.slopeHighPerMinute()).isGreaterThanOrEqualTo(3.0);
        assertThat(t.mannKendallZ()).isGreaterThan(GrowthPattern.Z_RISING);
    }

    @Test
    void noiseHasNoSignificantTrend() {
        Random r = new Random(3);
        double[] y = new double[300];
        for (int i = 0; i < y.length; i++) {
            y[i] = 500 + 20 * r.nextGaussian();
        }

        RobustTrend t = RobustTrend.of(y, 0, y.length, 1.0);

        assertThat(Math.abs(t.mannKendallZ())).isLessThan(GrowthPattern.Z_RISING);
        assertThat(Math.abs(t.kendallTau())).isLessThan(0.2);
    }

    @Test
    void longSeriesAreBucketedAndSlopeIsPerMinute() {
        double[] y = new double[10_000];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 97 == 0 ? Double.NaN : 2.0 * i;
        }

        RobustTrend t = RobustTrend.of(y, 0, y.length, 5.0);

        assertThat(t.points()).isEqualTo(RobustTrend.MAX_POINTS);
        assertThat(t.slopePerMinute()).isCloseTo(0.4, within(0.01));
    }

    @Test
    void tooFewSamplesGiveNoTrend() {
        assertThat(RobustTrend.of(new double[]{1, 2, 3}, 0, 3, 1).known()).isFalse();
    }
}
