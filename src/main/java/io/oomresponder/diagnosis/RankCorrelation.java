package io.oomresponder.diagnosis;

import java.util.Arrays;

/**
 * Spearman rank correlation and the partial rank correlation built on it. Ranks make the
 * statistic indifferent to the shape of the relation (memory need not be linear in traffic) and
 * robust to the odd outlier sample. Pairs where either value is NaN (a missing sample) are dropped.
 */
final class RankCorrelation {

    /** Below this many complete pairs a correlation means nothing; NaN is returned. */
    static final int MIN_PAIRS = 6;

    private RankCorrelation() {
    }

    /** Spearman's rho of x and y over the index range [from, to), NaN when fewer than {@link #MIN_PAIRS} pairs. */
    static double spearman(double[] x, double[] y, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                n++;
            }
        }
        if (n < MIN_PAIRS) {
            return Double.NaN;
        }
        double[] a = new double[n];
        double[] b = new double[n];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
                a[k] = x[i];
                b[k] = y[i];
                k++;
            }
        }
        return pearson(ranks(a), ranks(b));
    }

    /** Spearman's rho of complete arrays (no NaN). */
    static double spearman(double[] x, double[] y) {
        return spearman(x, y, 0, x.length);
    }

    /**
     * Partial correlation of x and y controlling for z, from the three pairwise correlations:
     * (r_xy - r_xz r_yz) / sqrt((1 - r_xz^2)(1 - r_yz^2)). NaN when undefined.
     */
    static double partial(double rxy, double rxz, double ryz) {
        double d = Math.sqrt((1 - rxz * rxz) * (1 - ryz * ryz));
        if (Double.isNaN(d) || d < 1e-9) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, (rxy - rxz * ryz) / d));
    }

    /** Fractional ranks (ties get their mean rank), 1-based; primitive sorting, no boxing. */
    static double[] ranks(double[] v) {
        int n = v.length;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            int lo = firstIndexOf(sorted, v[i]);
            int hi = lo;
            while (hi + 1 < n && sorted[hi + 1] == v[i]) {
                hi++;
            }
            r[i] = (lo + hi) / 2.0 + 1;
        }
        return r;
    }

    private static int firstIndexOf(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        if (saa == 0 || sbb == 0) {
            return 0;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
