package io.oomresponder.simulator;

import java.util.ArrayList;
import io.oomresponder.evidence.ProbeSpec;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Restarts that are not about memory: the working set stays low and flat, and the container exits
 * for another reason at seeded times.
 */
final class CrashBehaviour implements Behaviour {

    /** Which non-memory crash. */
    enum Kind {
        /** The app throws and exits with code 1. */
        APP_ERROR,
        /** The liveness probe fails (the app hangs) and the platform restarts the container. */
        PROBE,
        /** A new revision cannot start at all: exit 1 within seconds, back-off, again. */
        BACKOFF,
        /** The container ignores SIGTERM and is killed (137) after the grace period; memory is low. */
        EXIT_137_NO_OOM
    }

    static final int PROBE_PERIOD_SECONDS = 10;
    static final int PROBE_FAILURE_THRESHOLD = 3;
    private static final int POOL = 200;

    /** Memory of these apps never goes above this fraction of the limit. */
    static final double MAX_MEMORY_FRACTION = 0.6;

    private final Kind kind;
    private final ModelParameters p;
    private final double[] traffic;
    private final double baselineBytes;
    private final double noiseBytes;
    private final BitSet[] crashMinutes;
    private final int trace;
    private final int deployment;

    CrashBehaviour(ModelParameters p, Kind kind) {
        this.p = p;
        this.kind = kind;
        long limit = p.limitBytes();
        int n = p.minutes();
        this.baselineBytes = limit * p.between(0.15, 0.40);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.traffic = Traffic.steady(p.rnd(), n, p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.2));
        this.trace = p.rnd().nextInt(8);
        this.deployment = (int) (n * p.between(0.5, 0.85));
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
        if (kind == Kind.BACKOFF && r.firstMinute > 0) {
            // The process dies before it has allocated much.
            return p.limitBytes() * (0.03 + 0.05 * r.rnd.nextDouble());
        }
        double warmup = -0.15 * baselineBytes * Math.exp(-r.minutesSinceStart / 5.0);
        double level = baselineBytes + warmup + noiseBytes * r.gaussian();
        return Math.min(level, p.limitBytes() * MAX_MEMORY_FRACTION);
    }

    @Override
    public Crash crash(ReplicaState r, int minute) {
        boolean scheduled = kind == Kind.BACKOFF
                ? r.firstMinute > 0 && r.minutesSinceStart == 0
                : r.index < crashMinutes.length && crashMinutes[r.index].get(minute);
        if (!scheduled) {
            return null;
        }
        // Leave room before the exit for the lines that lead up to it (probe periods, grace period).
        int second = kind == Kind.BACKOFF ? 5 + r.rnd.nextInt(20) : 40 + r.rnd.nextInt(15);
        List<Crash.ConsoleEntry> console = new ArrayList<>();
        List<Crash.SystemLine> system = new ArrayList<>();
        switch (kind) {
            case APP_ERROR, BACKOFF -> {
                for (String line : p.runtime().crashTrace(trace)) {
                    console.add(new Crash.ConsoleEntry(0, "stderr", line));
                }
                system.add(Crash.terminated(1, 1, "Error"));
                if (kind == Kind.BACKOFF && r.restartsInRow >= 1) {
                    system.add(new Crash.SystemLine(2, "ContainerBackOff", "Warning", "Persistent Failiure to start container"));
                }
            }
            case PROBE -> {
                console.add(new Crash.ConsoleEntry(-45, "stderr", String.format(Locale.ROOT,
                        "WARN  worker pool exhausted: %d/%d threads busy, %d requests queued", POOL, POOL, 50 + r.rnd.nextInt(400))));
                for (int i = PROBE_FAILURE_THRESHOLD; i >= 1; i--) {
                    system.add(new Crash.SystemLine(-PROBE_PERIOD_SECONDS * (i - 1), "ProbeFailed", "Warning",
                            r.rnd.nextBoolean() ? "Probe of Liveness failed with status code: 503"
                                    : "Probe of Liveness failed with timeout: context deadline exceeded"));
                }
                system.add(Crash.terminated(2, 143, "Error"));
            }
            case EXIT_137_NO_OOM -> {
                int grace = 30;
                console.add(new Crash.ConsoleEntry(-grace, "stdout", String.format(Locale.ROOT,
                        "INFO  received SIGTERM, draining: waiting for %d in-flight jobs to finish", 3 + r.rnd.nextInt(30))));
                system.add(new Crash.SystemLine(-grace, "StoppingContainer", "Normal", "Stopping container 'app'"));
                system.add(Crash.terminated(0, 137, "Error"));
            }
        }
        return new Crash(second, system, console, 0);
    }

    @Override
    public int deploymentMinute() {
        return kind == Kind.BACKOFF ? deployment : -1;
    }

    @Override
    public boolean previousRevisionKeepsServing() {
        return true;
    }

    @Override
    public List<ProbeSpec> probes() {
        if (kind != Kind.PROBE) {
            return List.of();
        }
        return List.of(new ProbeSpec("Liveness", "HTTP", "/healthz", 8080, 10, PROBE_PERIOD_SECONDS, 1, PROBE_FAILURE_THRESHOLD),
                new ProbeSpec("Readiness", "HTTP", "/ready", 8080, 5, 5, 1, 3));
    }

    @Override
    public AlertKind alertKind() {
        return AlertKind.RESTART_COUNT;
    }
}
