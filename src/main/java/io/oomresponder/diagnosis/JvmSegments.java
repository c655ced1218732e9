package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.List;

/** Stretches of one JVM's life between restarts on the grid, and the floor trend of a series within one. */
final class JvmSegments {

    private JvmSegments() {
    }

    /** [from, to) bucket ranges between the restarts (sorted or not), each holding at least one sample. */
    static List<int[]> of(double[] series, List<Integer> restarts) {
        List<Integer> cuts = new ArrayList<>(restarts);
        cuts.sort(Integer::compare);
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            int c = Math.max(from, Math.min(series.length, cut));
            if (firstSample(series, from, c) >= 0) {
                out.add(new int[]{from, c});
            }
            from = c;
        }
        if (firstSample(series, from, series.length) >= 0) {
            out.add(new int[]{from, series.length});
        }
        return out;
    }

    static int firstSample(double[] a, int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(a.length, to); i++) {
            if (a[i] == a[i]) {
                return i;
            }
        }
        return -1;
    }

    static int lastSample(double[] a, int from, int to) {
        for (int i = Math.min(a.length, to) - 1; i >= Math.max(0, from); i--) {
            if (a[i] == a[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The trend of the minima of blocks of {@code blockMinutes} (the floor under a sawtooth), times in grid minutes. */
    static RobustTrend floorTrend(double[] a, int from, int to, EvidenceGrid grid, double blockMinutes) {
        int block = grid.buckets(blockMinutes);
        List<double[]> points = new ArrayList<>();
        for (int b = from; b < to; b += block) {
            double min = Double.NaN;
            int at = -1;
            for (int i = b; i < Math.min(to, b + block); i++) {
                if (a[i] == a[i] && (min != min || a[i] < min)) {
                    min = a[i];
                    at = i;
                }
            }
            if (at >= 0) {
                points.add(new double[]{at * grid.stepMinutes(), min});
            }
        }
        double[] t = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return t.length < RobustTrend.MIN_POINTS ? RobustTrend.NONE : RobustTrend.ofPoints(t, y);
    }

    /** Rise of a series over [from, to) by its Theil–Sen line (slope × span of the samples), NaN when unknown. */
    static double rise(double[] a, int from, int to, EvidenceGrid grid) {
        if (a == null) {
            return Double.NaN;
        }
        RobustTrend t = RobustTrend.of(a, from, to, grid.stepMinutes());
        return t.known() ? t.slopePerMinute() * t.spanMinutes() : Double.NaN;
    }
}
