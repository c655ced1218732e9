package io.oomresponder.diagnosis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RankCorrelationTest {

    @Test
    void monotoneButNonLinearRelationHasRhoOne() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        double[] y = {1, 4, 9, 16, 25, 36, 49, 64};

        assertThat(RankCorrelation.spearman(x, y)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void reversedOrderHasRhoMinusOne() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {60, 50, 40, 30, 20, 10};

        assertThat(RankCorrelation.spearman(x, y)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void missingSamplesAreDroppedPairwise() {
        double[] x = {1, 2, Double.NaN, 4, 5, 6, 7, 8, 9};
        double[] y = {2, 4, 6, Double.NaN, 10, 12, 14, 16, 18};

        assertThat(RankCorrelation.spearman(x, y)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void tooFewPairsGiveNaN() {
        assertThat(RankCorrelation.spearman(new double[]{1, 2, 3}, new double[]{1, 2, 3})).isNaN();
    }

    @Test
    void tiesGetTheirMeanRank() {
        assertThat(RankCorrelation.ranks(new double[]{10, 20, 20, 30})).containsExactly(1, 2.5, 2.5, 4);
    }

    @Test
    void partialCorrelationRemovesASharedDriver() {
        // Memory and time correlate only because both follow traffic: nothing is left once traffic is held fixed.
        assertThat(RankCorrelation.partial(0.8, 0.9, 0.889)).isCloseTo(0.0, within(0.01));
        // Memory follows time on its own, traffic flat: the partial stays high.
        assertThat(RankCorrelation.partial(0.95, 0.05, 0.0)).isGreaterThan(0.9);
    }
}
