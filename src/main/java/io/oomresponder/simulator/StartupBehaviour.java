package io.oomresponder.simulator;

import java.util.Locale;

/**
 * Memory-heavy startup: a new revision loads a large snapshot into memory when its container
 * starts. The spike right after each start hits the limit most of the time, so the new replicas
 * crash-loop (with back-off) before some of them get through; once up, memory is moderate and flat.
 */
final class StartupBehaviour implements Behaviour {

    /** The startup spike lasts this many minutes after the container starts. */
    static final int SPIKE_MINUTES = 2;

    private final ModelParameters p;
    private final double[] traffic;
    private final double steadyBytes;
    private final double noiseBytes;
    private final double crashProbability;
    private final int deployment;
    private final long snapshotEntries;
    private final AlertKind alertKind;

    StartupBehaviour(ModelParameters p) {
        this.p = p;
        long limit = p.limitBytes();
        this.steadyBytes = limit * p.between(0.30, 0.50);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.crashProbability = p.between(0.55, 0.85);
        this.deployment = (int) (p.minutes() * p.between(0.45, 0.8));
        this.snapshotEntries = 200_000L + p.rnd().nextInt(3_000_000);
        this.traffic = Traffic.steady(p.rnd(), p.minutes(), p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.2));
        this.alertKind = p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public int deploymentMinute() {
        return deployment;
    }

    @Override
    public void initialise(ReplicaState r) {
        // Replicas of the old revision started long ago; new ones always fail their first three starts.
        r.phase = r.firstMinute > 0 ? p.limitBytes() * (1.03 + 0.25 * r.rnd.nextDouble()) : 0;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double noise = noiseBytes * r.gaussian();
        if (r.minutesSinceStart < SPIKE_MINUTES && r.phase > 0) {
            return r.phase * (r.minutesSinceStart == 0 ? 0.85 + 0.15 * r.rnd.nextDouble() : 1.0) + noise;
        }
        if (r.minutesSinceStart < SPIKE_MINUTES + 3 && r.phase > 0) {
            // After the snapshot is indexed, the loading buffers are released over a few minutes.
            double settle = (r.minutesSinceStart - SPIKE_MINUTES + 1) / 4.0;
            return Math.min(r.phase, p.limitBytes() * 0.95) * (1 - settle) + steadyBytes * settle + noise;
        }
        return steadyBytes + noise;
    }

    @Override
    public void restarted(ReplicaState r, int minute, boolean oom) {
        boolean forced = r.restartsInWindow < 3;
        r.phase = forced || r.rnd.nextDouble() < crashProbability
                ? p.limitBytes() * (1.03 + 0.25 * r.rnd.nextDouble())
                : p.limitBytes() * (0.72 + 0.2 * r.rnd.nextDouble());
    }

    @Override
    public void console(ReplicaState r, int minute, ConsoleWriter out) {
        if (r.minutesSinceStart == 0 && r.phase > 0 && r.firstMinute > 0) {
            out.write(r, minute, 12 + r.rnd.nextInt(20), "stdout", String.format(Locale.ROOT,
                    "INFO  warmup: loading %d catalog entries from snapshot into the in-memory index", snapshotEntries));
        }
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
