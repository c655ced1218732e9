package io.oomresponder.diagnosis;

import org.hipparchus.distribution.continuous.NormalDistribution;

import java.util.Arrays;

/**
 * A robust trend of a series against time: the Theil–Sen slope (median of all pairwise slopes,
 * unmoved by up to 29% outliers) and intercept (median of y − slope·t), and the Mann–Kendall test
 * of a monotonic trend, made to hold on real metric series:
 * <ul>
 * <li><b>ties</b>: equal values contribute 0 to S and the variance of S is reduced by
 * Σ t(t−1)(2t+5)/18 over tie groups (Kendall 1975);</li>
 * <li><b>autocorrelation</b>: the Hamed–Rao (1998) correction. The series is detrended with the
 * Theil–Sen slope, the autocorrelations ρ<sub>k</sub> of the ranks of the residuals that are
 * significant at 5% (|ρ<sub>k</sub>| &gt; 1.96/√n) give n/n* = 1 + 2/(n(n−1)(n−2)) Σ (n−k)(n−k−1)(n−k−2)ρ<sub>k</sub>,
 * and Var(S) is multiplied by it; on short series, where sample autocorrelations are biased low,
 * the factor of an AR(1) model with the bias-corrected lag-1 autocorrelation is used when larger.
 * The factor is kept ≥ 1: negative autocorrelation never makes a
 * trend more significant than the independent-samples test says (the strict reading).</li>
 * </ul>
 * Z = (S − sgn S)/√Var*(S); {@link #pUpper()} is its one-sided p from Hipparchus' normal
 * distribution. The slope's confidence interval (Sen 1968) uses the same corrected variance, so
 * an autocorrelated series gets the wider range it deserves.
 *
 * <p>Long series are first reduced to at most {@link #MAX_POINTS} bucket means, so the O(n²)
 * pairwise work stays bounded (a 7-day segment at 1-minute grain costs the same as a 2-hour one).
 *
 * @param slopePerMinute Theil–Sen slope in value units per minute
 * @param slopeLowPerMinute lower end of the 95% confidence interval of the slope
 * @param slopeHighPerMinute upper end of the 95% confidence interval of the slope
 * @param mannKendallZ Mann–Kendall Z (continuity-corrected, ties and Hamed–Rao corrected)
 * @param kendallTau Kendall's tau of value against time (-1..1)
 * @param points points the test used (after bucketing)
 * @param spanMinutes minutes between the first and the last point used
 * @param interceptAtZero Theil–Sen intercept: the fitted value at time 0 (the grid's start), value units
 * @param varianceInflation the Hamed–Rao factor n/n* applied to Var(S) (1 when no significant autocorrelation)
 */
record RobustTrend(double slopePerMinute, double slopeLowPerMinute, double slopeHighPerMinute,
                   double mannKendallZ, double kendallTau, int points, double spanMinutes, double interceptAtZero,
                   double varianceInflation) {

    /** Upper bound of points entering the pairwise statistics. */
    static final int MAX_POINTS = 40;
    /** Fewer points than this give no trend. */
    static final int MIN_POINTS = 5;
    /** z of a two-sided 95% interval, for the slope's confidence interval and the autocorrelation cut-off. */
    static final double Z_95_TWO_SIDED = 1.96;

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    /** A trend that could not be computed. */
    static final RobustTrend NONE = new RobustTrend(Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0, Double.NaN, 1);

    boolean known() {
        return points >= MIN_POINTS;
    }

    /** One-sided p of a rising trend (upper tail of Z); 0.5 when unknown. */
    double pUpper() {
        return upperTail(mannKendallZ);
    }

    /** The fitted value at a time in minutes from the grid's start. */
    double fittedAt(double minute) {
        return interceptAtZero + slopePerMinute * minute;
    }

    /** One-sided upper-tail p of a standard normal z; 0.5 for NaN. */
    static double upperTail(double z) {
        return Double.isNaN(z) ? 0.5 : 1 - STANDARD_NORMAL.cumulativeProbability(z);
    }

    /**
     * The trend of {@code values[from..to)} sampled every {@code stepMinutes}; NaN samples are skipped.
     */
    static RobustTrend of(double[] values, int from, int to, double stepMinutes) {
        int len = to - from;
        if (len <= 0) {
            return NONE;
        }
        int buckets = Math.min(MAX_POINTS, len);
        double[] meanIndex = new double[buckets];
        double[] means = MemorySegments.bucketMeans(values, from, to, buckets, meanIndex);
        double[] t = new double[buckets];
        double[] y = new double[buckets];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            if (!Double.isNaN(meanIndex[b])) {
                t[n] = meanIndex[b] * stepMinutes;
                y[n] = means[b];
                n++;
            }
        }
        return ofPoints(Arrays.copyOf(t, n), Arrays.copyOf(y, n));
    }

    /** The trend of explicit (time in minutes, value) points in time order. */
    static RobustTrend ofPoints(double[] t, double[] y) {
        int n = t.length;
        if (n < MIN_POINTS) {
            return NONE;
        }
        int pairs = n * (n - 1) / 2;
        double[] slopes = new double[pairs];
        int k = 0;
        long s = 0;
        for (int i = 0; i < n - 1; i++) {
            for (int j = i + 1; j < n; j++) {
                double dy = y[j] - y[i];
                double dt = t[j] - t[i];
                if (dt > 0) {
                    slopes[k++] = dy / dt + 0.0; // + 0.0: a zero slope is +0.0, as select needs
                }
                s += dy > 0 ? 1 : (dy < 0 ? -1 : 0);
            }
        }
        if (k == 0) {
            return NONE;
        }
        // Only four order statistics of the slopes are used (the median's one or two, the interval's
        // ends): selecting them is about a third of the work of sorting all n(n-1)/2.
        int m2 = k / 2;
        int m1 = k % 2 == 1 ? m2 : m2 - 1;
        select(slopes, 0, k, m2);
        if (m1 != m2) {
            select(slopes, 0, m2, m1);
        }
        double median = m1 == m2 ? slopes[m2] : (slopes[m1] + slopes[m2]) / 2;
        double[] residuals = new double[n];
        for (int i = 0; i < n; i++) {
            residuals[i] = y[i] - median * t[i];
        }
        double intercept = median(residuals.clone(), n);
        double varS = (n * (n - 1.0) * (2.0 * n + 5) - tieTerm(y)) / 18.0;
        double inflation = hamedRaoInflation(residuals);
        double varCorrected = varS * inflation;
        double sd = Math.sqrt(Math.max(varCorrected, 1e-12));
        double z = s > 0 ? (s - 1) / sd : (s < 0 ? (s + 1) / sd : 0);
        double c = Z_95_TWO_SIDED * sd;
        int lo = (int) Math.floor((k - c) / 2.0);
        int hi = (int) Math.ceil((k + c) / 2.0);
        double low = rank(slopes, k, Math.max(0, Math.min(k - 1, lo)), m1, m2);
        double high = rank(slopes, k, Math.max(0, Math.min(k - 1, hi)), m1, m2);
        double tau = s / (double) pairs;
        return new RobustTrend(median, low, high, z, tau, n, t[n - 1] - t[0], intercept, inflation);
    }

    /**
     * The value of rank {@code r} among the first {@code k}, with ranks {@code m1 <= m2} already selected
     * (so the ranks below m1 lie before it and those above m2 after it).
     */
    private static double rank(double[] a, int k, int r, int m1, int m2) {
        if (r < m1) {
            select(a, 0, m1, r);
        } else if (r > m2) {
            select(a, m2 + 1, k, r);
        }
        return a[r];
    }

    /**
     * Reorders {@code a[from..to)} so that {@code a[r]} holds the value {@code Arrays.sort} would put there,
     * the smaller ones before it and the larger after (Hoare's selection). The values must hold no NaN
     * and no -0.0: then {@code <} orders them as {@code Arrays.sort} does, and needs no call per
     * comparison (this runs interpreted at first in a fresh JVM).
     */
    static void select(double[] a, int from, int to, int r) {
        int lo = from;
        int hi = to - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double x = a[i];
                    a[i] = a[j];
                    a[j] = x;
                    i++;
                    j--;
                }
            }
            if (r <= j) {
                hi = j;
            } else if (r >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    /** Σ t(t−1)(2t+5) over groups of tied values. */
    static double tieTerm(double[] y) {
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double term = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            long g = j - i + 1L;
            if (g > 1) {
                term += g * (g - 1.0) * (2.0 * g + 5);
            }
            i = j + 1;
        }
        return term;
    }

    /** Hamed–Rao n/n* from the significant autocorrelations of the ranks of the detrended series, at least 1. */
    static double hamedRaoInflation(double[] detrended) {
        int n = detrended.length;
        if (n < 3) {
            return 1;
        }
        double[] ranks = RankCorrelation.ranks(detrended);
        double mean = (n + 1) / 2.0;
        double denom = 0;
        for (double r : ranks) {
            denom += (r - mean) * (r - mean);
        }
        if (denom <= 0) {
            return 1;
        }
        double cut = Z_95_TWO_SIDED / Math.sqrt(n);
        double sum = 0;
        double rho1 = 0;
        for (int lag = 1; lag < n - 2; lag++) {
            double num = 0;
            for (int i = 0; i + lag < n; i++) {
                num += (ranks[i] - mean) * (ranks[i + lag] - mean);
            }
            double rho = num / denom;
            if (lag == 1) {
                rho1 = rho;
            }
            if (Math.abs(rho) > cut) {
                sum += (n - lag) * (n - lag - 1.0) * (n - lag - 2.0) * rho;
            }
        }
        double hamedRao = 1 + 2.0 / (n * (n - 1.0) * (n - 2.0)) * sum;
        // On short series the sample autocorrelations are biased low and the significance cut drops
        // real lags, so the same sum is also taken for an AR(1) model, ρ_k = ρ1^k, with the lag-1
        // estimate bias-corrected ((n·ρ1 + 1)/(n − 4), Yue & Wang 2004); the larger factor is kept.
        double r1 = Math.min(0.95, (n * rho1 + 1) / (n - 4.0));
        double ar1 = 1;
        if (r1 > cut) {
            double sumAr = 0;
            double rk = 1;
            for (int lag = 1; lag < n - 2; lag++) {
                rk *= r1;
                sumAr += (n - lag) * (n - lag - 1.0) * (n - lag - 2.0) * rk;
            }
            ar1 = 1 + 2.0 / (n * (n - 1.0) * (n - 2.0)) * sumAr;
        }
        return Math.max(1, Math.max(hamedRao, ar1));
    }

    private static double median(double[] v, int k) {
        if (k != v.length) {
            v = Arrays.copyOf(v, k);
        }
        Arrays.sort(v);
        return (k % 2 == 1) ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
    }
}
