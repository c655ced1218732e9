package io.oomresponder.simulator;

import java.util.SplittableRandom;

/**
 * Shapes of the expected requests per minute to a whole app: smooth daily and weekly waves, spikes,
 * ramps, bursts. The shapes are smooth on purpose: the per-minute noise of served requests is drawn
 * apart ({@link #served}), so memory (which follows the expected load with its own noise) and the
 * Requests metric are not two views of one noisy series.
 */
final class Traffic {

    /** One day: the period of the wave real traffic follows. */
    private static final double DAY_MINUTES = 24 * 60;

    private Traffic() {
    }

    /** One week: weekends are quieter. */
    private static final double WEEK_MINUTES = 7 * DAY_MINUTES;

    /** Smooth steady traffic: a daily wave of relative {@code amplitude} and a weekly wave of a fifth of it. */
    static double[] steady(SplittableRandom rnd, int minutes, double perMinute, double amplitude) {
        double phase = rnd.nextDouble() * 2 * Math.PI;
        double weekPhase = rnd.nextDouble() * 2 * Math.PI;
        double[] t = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            double wave = 1 + amplitude * Math.sin(2 * Math.PI * m / DAY_MINUTES + phase)
                    + amplitude / 5 * Math.sin(2 * Math.PI * m / WEEK_MINUTES + weekPhase);
            t[m] = Math.max(0, perMinute * wave);
        }
        return t;
    }

    /**
     * Requests one replica served in a minute of expected load {@code load}: the app-wide
     * fluctuation of that minute ({@code appNoise}, relative) and Poisson-like counting noise.
     */
    static double served(double load, double appNoise, SplittableRandom rnd) {
        if (load <= 0) {
            return 0;
        }
        double l = load * Math.max(0, 1 + appNoise);
        return Math.max(0, Math.round(l + Math.sqrt(Math.max(l, 1)) * gaussian(rnd)));
    }

    /** Per-minute app-wide relative fluctuations of traffic (2..6% sd), independent of memory. */
    static double[] fluctuations(SplittableRandom rnd, int minutes) {
        double sd = 0.02 + rnd.nextDouble() * 0.04;
        double[] f = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            f[m] = sd * gaussian(rnd);
        }
        return f;
    }

    /** Multiplies minutes [from, to) by a smooth bump rising to {@code factor} (ramps of {@code edge} minutes). */
    static void bump(double[] t, int from, int to, int edge, double factor) {
        for (int m = Math.max(0, from); m < Math.min(t.length, to); m++) {
            double rise = Math.min(1, Math.min(m - from + 1, to - m) / (double) Math.max(1, edge));
            t[m] *= 1 + (factor - 1) * rise;
        }
    }

    /** Multiplies the traffic by a linear ramp from 1 at {@code from} to {@code factor} at the end. */
    static void ramp(double[] t, int from, double factor) {
        for (int m = Math.max(0, from); m < t.length; m++) {
            t[m] *= 1 + (factor - 1) * (m - from) / (double) Math.max(1, t.length - 1 - from);
        }
    }

    static double gaussian(SplittableRandom rnd) {
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
