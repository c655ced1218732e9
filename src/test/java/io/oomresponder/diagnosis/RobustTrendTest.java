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

    @Test
    void autocorrelatedNoiseIsRarelyCalledATrend() {
        // AR(1) noise (φ = 0.8) wanders for long stretches: the independent-samples Mann–Kendall
        // test calls many such series a trend at one-sided p < 0.01; the Hamed–Rao correction
        // inflates Var(S) and keeps the false alarms near the nominal rate.
        Random r = new Random(11);
        int naive = 0;
        int corrected = 0;
        int series = 400;
        for (int k = 0; k < series; k++) {
            double[] y = new double[40];
            double x = 0;
            for (int i = 0; i < y.length; i++) {
                x = 0.8 * x + r.nextGaussian();
                y[i] = 500 + 10 * x;
            }
            RobustTrend t = RobustTrend.of(y, 0, y.length, 1.0);
            naive += t.mannKendallZ() * Math.sqrt(t.varianceInflation()) >= GrowthPattern.Z_RISING ? 1 : 0;
            corrected += t.mannKendallZ() >= GrowthPattern.Z_RISING ? 1 : 0;
        }
        assertThat(naive / (double) series).as("naive false alarms").isGreaterThan(0.08);
        assertThat(corrected / (double) series).as("corrected false alarms").isLessThan(0.05);
        assertThat(corrected).isLessThan(naive / 2);
    }

    @Test
    void tiedValuesReduceTheVarianceOfS() {
        assertThat(RobustTrend.tieTerm(new double[]{1, 2, 3, 4})).isZero();
        // One group of three ties: 3·2·11 = 66.
        assertThat(RobustTrend.tieTerm(new double[]{1, 2, 2, 2, 5})).isEqualTo(66);
        RobustTrend flat = RobustTrend.of(new double[]{7, 7, 7, 7, 7, 7, 7, 7}, 0, 8, 1.0);
        assertThat(flat.mannKendallZ()).isZero();
    }

    @Test
    void theFittedLineGoesThroughTheTrendNotTheLastSample() {
        double[] y = new double[60];
        for (int i = 0; i < y.length; i++) {
            y[i] = 100 + 2 * i;
        }
        y[59] = 10_000;

        RobustTrend t = RobustTrend.of(y, 0, y.length, 1.0);

        assertThat(t.fittedAt(59)).isCloseTo(100 + 2 * 59, within(5.0));
    }

    @Test
    void selectionPutsTheValueSortingWouldAndPartitionsAroundIt() {
        Random rnd = new Random(42);
        double[] pool = {0.0, 1.5, -2.25, 3.0, 1e-9, -1e12, 7.0}; // no NaN, no -0.0: select's precondition
        for (int round = 0; round < 3_000; round++) {
            int n = 1 + rnd.nextInt(800);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextInt(3) == 0 ? pool[rnd.nextInt(pool.length)] : rnd.nextGaussian() * 100;
            }
            double[] sorted = a.clone();
            java.util.Arrays.sort(sorted);
            // As ofPoints uses it: the upper median over all, the lower median below it, then one rank on either side.
            int m2 = n / 2;
            int m1 = n % 2 == 1 ? m2 : m2 - 1;
            RobustTrend.select(a, 0, n, m2);
            if (m1 != m2) {
                RobustTrend.select(a, 0, m2, m1);
            }
            int below = m1 == 0 ? 0 : rnd.nextInt(m1);
            if (m1 > 0) {
                RobustTrend.select(a, 0, m1, below);
            }
            int above = m2 + 1 >= n ? m2 : m2 + 1 + rnd.nextInt(n - m2 - 1);
            if (above > m2) {
                RobustTrend.select(a, m2 + 1, n, above);
            }
            for (int r : new int[]{m1, m2, below, above}) {
                assertThat(Double.doubleToRawLongBits(a[r])).as("rank %d of %d", r, n).isEqualTo(Double.doubleToRawLongBits(sorted[r]));
            }
            double[] all = a.clone();
            java.util.Arrays.sort(all);
            assertThat(all).as("a permutation").isEqualTo(sorted);
        }
    }
}
