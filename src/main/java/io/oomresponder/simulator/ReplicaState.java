package io.oomresponder.simulator;

import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One replica while the model runs: where it is in its life (minutes since the container started,
 * back-off), the state its behaviour keeps (working set, leaked or buffered bytes), and what it
 * wrote per minute. A NaN in the per-minute arrays means "no sample".
 */
final class ReplicaState {

    final int index;
    final String name;
    final String revision;
    final Instant createdAt;
    /** First window minute the replica exists (0 when it was created before the window). */
    final int firstMinute;
    /** First window minute it no longer exists (the window length when it outlives the window). */
    final int endMinute;
    /** Its share of the app's traffic relative to an even split (load balancing is not exact). */
    final double share;
    final SplittableRandom rnd;

    int minutesSinceStart;
    int downUntil;
    int restartsInRow;
    int restartsInWindow;
    int restartsBefore;
    boolean running = true;
    /** Whether the replica's revision gets traffic (a revision that never got ready gets none). */
    boolean serving = true;

    /** Behaviour state: working set last minute (bytes). */
    double workingSet;
    /** Behaviour state: leaked or buffered bytes since the container started. */
    double accumulated;
    /** Behaviour state: growth per minute, phase or other per-replica parameter. */
    double rate;
    double phase;

    final double[] workingSetMax;
    final double[] workingSetAvg;
    final double[] requests;
    final int[] restarts;

    ReplicaState(int index, String name, String revision, Instant createdAt, int firstMinute, int endMinute,
                 int minutes, SplittableRandom rnd) {
        this.index = index;
        this.name = name;
        this.revision = revision;
        this.createdAt = createdAt;
        this.firstMinute = firstMinute;
        this.endMinute = endMinute;
        this.rnd = rnd;
        this.share = 0.88 + rnd.nextDouble() * 0.24;
        this.workingSetMax = new double[minutes];
        this.workingSetAvg = new double[minutes];
        this.requests = new double[minutes];
        this.restarts = new int[minutes];
        Arrays.fill(workingSetMax, Double.NaN);
        Arrays.fill(workingSetAvg, Double.NaN);
        Arrays.fill(requests, Double.NaN);
    }

    boolean aliveAt(int minute) {
        return minute >= firstMinute && minute < endMinute;
    }

    /** Gaussian noise from this replica's stream. */
    double gaussian() {
        // Box-Muller; SplittableRandom has no nextGaussian in Java 17.
        double u1 = 1.0 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
