package io.oomresponder.diagnosis;

import java.util.Arrays;

/**
 * A robust trend of a series against time: the Theil–Sen slope (median of all pairwise slopes,
 * unmoved by up to 29% outliers), its distribution-free confidence interval, and the
 * Mann–Kendall test of a monotonic trend (statistic S, Kendall's tau and the normal
 * approximation Z; Z ≥ 2.326 is a rising trend at one-sided p &lt; 0.01).
 *
 * <p>Long series are first reduced to at most {@link #MAX_POINTS} bucket means, so the O(n²)
 * pairwise work stays bounded (a 7-day segment at 1-minute grain costs the same as a 2-hour one).
 *
 * @param slopePerMinute Theil–Sen slope in value units per minute
 * @param slopeLowPerMinute lower end of the 95% confidence interval of the slope
 * @param slopeHighPerMinute upper end of the 95% confidence interval of the slope
 * @param mannKendallZ Mann–Kendall Z (continuity-corrected)
 * @param kendallTau Kendall's tau of value against time (-1..1)
 * @param points points the test used (after bucketing)
 * @param spanMinutes minutes between the first and the last point used
 */
record RobustTrend(double slopePerMinute, double slopeLowPerMinute, double slopeHighPerMinute,
                   double mannKendallZ, double kendallTau, int points, double spanMinutes) {

    /** Upper bound of points entering the pairwise statistics. */
    static final int MAX_POINTS = 40;
    /** Fewer points than this give no trend. */
    static final int MIN_POINTS = 5;
    /** z of a two-sided 95% interval, for the slope's confidence interval. */
    static final double Z_95_TWO_SIDED = 1.96;

    /** A trend that could not be computed. */
    static final RobustTrend NONE = new RobustTrend(Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, 0);

    boolean known() {
        return points >= MIN_POINTS;
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
        double[] t = new double[buckets];
        double[] y = new double[buckets];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            int s = from + (int) ((long) len * b / buckets);
            int e = from + (int) ((long) len * (b + 1) / buckets);
            double sum = 0;
            double sumT = 0;
            int c = 0;
            for (int i = s; i < e; i++) {
                double v = values[i];
                if (!Double.isNaN(v)) {
                    sum += v;
                    sumT += i;
                    c++;
                }
            }
            if (c > 0) {
                t[n] = sumT / c * stepMinutes;
                y[n] = sum / c;
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
                    slopes[k++] = dy / dt;
                }
                s += Double.compare(dy, 0.0) > 0 ? 1 : (dy < 0 ? -1 : 0);
            }
        }
        if (k == 0) {
            return NONE;
        }
        Arrays.sort(slopes, 0, k);
        double median = (k % 2 == 1) ? slopes[k / 2] : (slopes[k / 2 - 1] + slopes[k / 2]) / 2;
        double varS = n * (n - 1.0) * (2.0 * n + 5) / 18.0;
        double sd = Math.sqrt(varS);
        double z = s > 0 ? (s - 1) / sd : (s < 0 ? (s + 1) / sd : 0);
        double c = Z_95_TWO_SIDED * sd;
        int lo = (int) Math.floor((k - c) / 2.0);
        int hi = (int) Math.ceil((k + c) / 2.0);
        double low = slopes[Math.max(0, Math.min(k - 1, lo))];
        double high = slopes[Math.max(0, Math.min(k - 1, hi))];
        double tau = s / (double) pairs;
        return new RobustTrend(median, low, high, z, tau, n, t[n - 1] - t[0]);
    }
}
