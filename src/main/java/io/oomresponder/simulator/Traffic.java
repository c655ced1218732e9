package io.oomresponder.simulator;

import java.util.SplittableRandom;

/** Shapes of requests per minute to a whole app: a gentle daily wave plus noise, spikes, ramps, bursts. */
final class Traffic {

    /** One day: the period of the wave real traffic follows. */
    private static final double DAY_MINUTES = 24 * 60;

    private Traffic() {
    }

    /** Steady traffic with a slow wave of relative {@code amplitude} and a few percent of noise. */
    static double[] steady(SplittableRandom rnd, int minutes, double perMinute, double amplitude) {
        double phase = rnd.nextDouble() * 2 * Math.PI;
        double noise = 0.02 + rnd.nextDouble() * 0.04;
        double[] t = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            double wave = 1 + amplitude * Math.sin(2 * Math.PI * m / DAY_MINUTES + phase);
            t[m] = Math.max(0, perMinute * wave * (1 + noise * gaussian(rnd)));
        }
        return t;
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
