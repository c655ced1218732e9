package io.oomresponder.simulator;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Restarts that are not about memory: the working set stays low and flat, and the container exits
 * for another reason at seeded times.
 */
final class CrashBehaviour implements Behaviour {

    /** Which non-memory crash. */
    enum Kind { APP_ERROR }

    /** Memory of these apps never goes above this fraction of the limit. */
    static final double MAX_MEMORY_FRACTION = 0.6;

    private final Kind kind;
    private final ModelParameters p;
    private final double[] traffic;
    private final double baselineBytes;
    private final double noiseBytes;
    private final BitSet[] crashMinutes;
    private final int trace;

    CrashBehaviour(ModelParameters p, Kind kind) {
        this.p = p;
        this.kind = kind;
        long limit = p.limitBytes();
        int n = p.minutes();
        this.baselineBytes = limit * p.between(0.15, 0.40);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.traffic = Traffic.steady(p.rnd(), n, p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.2));
        this.trace = p.rnd().nextInt(8);
        this.crashMinutes = new BitSet[p.replicas() * 2];
        for (int i = 0; i < crashMinutes.length; i++) {
            crashMinutes[i] = new BitSet(n);
        }
        int crashes = p.between(2, 7);
        // The last crash is late in the window so that the alert fires near its end.
        crashMinutes[p.rnd().nextInt(p.replicas())].set((int) (n * p.between(0.7, 0.97)));
        for (int i = 1; i < crashes; i++) {
            crashMinutes[p.rnd().nextInt(p.replicas())].set(5 + p.rnd().nextInt(n - 10));
        }
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double warmup = -0.15 * baselineBytes * Math.exp(-r.minutesSinceStart / 5.0);
        double level = baselineBytes + warmup + noiseBytes * r.gaussian();
        return Math.min(level, p.limitBytes() * MAX_MEMORY_FRACTION);
    }

    @Override
    public Crash crash(ReplicaState r, int minute) {
        if (r.index >= crashMinutes.length || !crashMinutes[r.index].get(minute)) {
            return null;
        }
        int second = r.rnd.nextInt(55);
        List<Crash.ConsoleEntry> console = new ArrayList<>();
        List<Crash.SystemLine> system = new ArrayList<>();
        switch (kind) {
            case APP_ERROR -> {
                List<String> lines = p.runtime().crashTrace(trace);
                for (String line : lines) {
                    console.add(new Crash.ConsoleEntry(0, "stderr", line));
                }
                system.add(Crash.terminated(1, 1, "Error"));
            }
        }
        return new Crash(second, system, console, 0);
    }

    @Override
    public AlertKind alertKind() {
        return AlertKind.RESTART_COUNT;
    }
}
