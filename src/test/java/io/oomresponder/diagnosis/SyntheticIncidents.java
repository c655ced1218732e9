package io.oomresponder.diagnosis;

import static io.oomresponder.diagnosis.SyntheticIncident.GIB;

/** The families of the playbook as small synthetic incidents (see {@link SyntheticIncident}). */
final class SyntheticIncidents {

    private SyntheticIncidents() {
    }

    /** Memory grows ~10 MiB/min from a reset, whatever the traffic; flat traffic. */
    static SyntheticIncident leak() {
        SyntheticIncident s = SyntheticIncident.of();
        s.memory = (r, t, age, q) -> 0.25 * GIB + age * (0.008 + 0.001 * r) * GIB;
        return s;
    }

    /** A leak under a daily-like traffic wave. */
    static SyntheticIncident leakUnderTrafficWave() {
        SyntheticIncident s = leak();
        s.traffic = (r, t) -> 300 + 150 * Math.sin(t / 60.0);
        return s;
    }

    /** A backlog that never drains: memory grows while served traffic is flat and slowly falling. */
    static SyntheticIncident unboundedBuffer() {
        SyntheticIncident s = SyntheticIncident.of();
        s.traffic = (r, t) -> 320 - 0.1 * t;
        // The backlog grows faster the longer the downstream stalls: growth speeds up.
        s.memory = (r, t, age, q) -> 0.3 * GIB + age * (double) age * 0.000049 * GIB;
        s.consoleLines.add(new io.oomresponder.evidence.ConsoleLine(SyntheticIncident.START.plusSeconds(3600), "shop-api--abc123",
                "shop-api--abc123-pod0", "app", "stdout", "WARN pending queue backlog growing: 48213 messages buffered"));
        return s;
    }

    /** A traffic spike drives memory over the limit; it falls back when traffic does. */
    static SyntheticIncident peakSpike() {
        SyntheticIncident s = SyntheticIncident.of();
        s.traffic = (r, t) -> t >= 200 && t < 230 ? 1800 : 300;
        s.memory = (r, t, age, q) -> Math.min(1, (age + 1) / 3.0) * (0.3 * GIB + q * 0.00045 * GIB);
        return s;
    }

    /** Traffic ramps up through the window and memory follows it to the limit. */
    static SyntheticIncident peakRamp() {
        SyntheticIncident s = SyntheticIncident.of();
        s.traffic = (r, t) -> 200 + 4.0 * t;
        s.memory = (r, t, age, q) -> Math.min(1, (age + 1) / 3.0) * (0.2 * GIB + q * 0.00052 * GIB);
        return s;
    }

    /** Traffic steps up to a plateau the memory cannot hold. */
    static SyntheticIncident peakPlateau() {
        SyntheticIncident s = SyntheticIncident.of();
        s.traffic = (r, t) -> t < 150 ? 300 : 1500;
        s.memory = (r, t, age, q) -> Math.min(1, (age + 1) / 4.0) * (0.3 * GIB + q * 0.0005 * GIB);
        return s;
    }

    /** Replicas pinned at maxReplicas while each one's load keeps rising. */
    static SyntheticIncident tooFewReplicas() {
        SyntheticIncident s = peakRamp();
        s.maxReplicas = 3;
        return s;
    }

    /** A job every hour needs 0.7 GiB more for five minutes. */
    static SyntheticIncident periodicJob() {
        SyntheticIncident s = SyntheticIncident.of();
        s.memory = (r, t, age, q) -> 0.4 * GIB + ((t % 60) >= 15 && (t % 60) < 20 ? 0.7 * GIB : 0);
        return s;
    }

    /** Every start loads a big cache first; most starts do not fit. Something restarts replicas every 70 min. */
    static SyntheticIncident heavyStartup() {
        SyntheticIncident s = SyntheticIncident.of();
        s.crashEveryMinutes = 70;
        s.memory = (r, t, age, q) -> age < 4 ? (((t * 7 + r * 13) % 10) < 7 ? 1.05 * GIB : 0.85 * GIB) : 0.35 * GIB;
        return s;
    }

    /** The app exits with code 1 every 50 minutes; memory low. */
    static SyntheticIncident appError() {
        SyntheticIncident s = SyntheticIncident.of();
        s.crashEveryMinutes = 50;
        s.exitLog = "Container 'app' was terminated with exit code '1' and reason 'Error'";
        s.memory = (r, t, age, q) -> 0.3 * GIB;
        return s;
    }

    /** Exit 137 after a shutdown grace period, with low memory: not an OOM. */
    static SyntheticIncident exit137WithoutOom() {
        SyntheticIncident s = appError();
        s.exitLog = "Container 'app' was terminated with exit code '137' and reason 'Error'";
        return s;
    }

    /** Liveness probe failures restart the container; memory low. */
    static SyntheticIncident probeFailures() {
        SyntheticIncident s = appError();
        s.crashEveryMinutes = 45;
        s.exitLog = "Liveness probe failed: HTTP probe failed with statuscode: 503";
        return s;
    }

    /** No restarts, memory flat well below the limit. */
    static SyntheticIncident healthy() {
        SyntheticIncident s = SyntheticIncident.of();
        s.memory = (r, t, age, q) -> 0.45 * GIB;
        return s;
    }
}
