package io.oomresponder.simulator;

import java.util.Locale;

/**
 * A periodic background job inside the app: every period it loads a batch into memory on top of
 * the request-serving working set. Some runs need more than the replica has left and are
 * OOM-killed; between runs memory is flat and moderate.
 */
final class JobBehaviour implements Behaviour {

    private final ModelParameters p;
    private final double[] traffic;
    private final double steadyBytes;
    private final double noiseBytes;
    private final int period;
    private final int duration;
    private final int offset;
    private final double[] runPeakBytes;
    private final boolean everyReplica;
    private final String jobName;
    private final AlertKind alertKind;

    JobBehaviour(ModelParameters p) {
        this.p = p;
        long limit = p.limitBytes();
        int n = p.minutes();
        this.steadyBytes = limit * p.between(0.30, 0.50);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.period = p.between(30, Math.max(31, Math.min(120, n / 4)));
        this.duration = p.between(5, Math.min(15, period / 3));
        this.offset = p.rnd().nextInt(period);
        this.everyReplica = p.rnd().nextInt(5) < 2;
        this.jobName = java.util.List.of("reconcile-ledger", "export-orders", "rebuild-search-index", "send-digest-emails")
                .get(p.rnd().nextInt(4));
        int runs = (n - offset + period - 1) / period;
        this.runPeakBytes = new double[Math.max(1, runs)];
        int lastStarted = Math.max(0, (n - offset - duration - 2) / period);
        for (int k = 0; k < runPeakBytes.length; k++) {
            // The last complete run and one earlier run need more than the limit; the others fit or not by chance.
            boolean mustKill = k == lastStarted || k == lastStarted / 2;
            runPeakBytes[k] = limit * (mustKill ? p.between(1.05, 1.3) : p.between(0.8, 1.15));
        }
        this.traffic = Traffic.steady(p.rnd(), n, p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.2));
        this.alertKind = p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    private boolean runsJob(ReplicaState r) {
        return everyReplica || r.index == 0;
    }

    @Override
    public void initialise(ReplicaState r) {
        r.rate = -1;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double noise = noiseBytes * r.gaussian();
        int run = Math.floorDiv(minute - offset, period);
        int into = Math.floorMod(minute - offset, period);
        if (!runsJob(r) || run < 0 || into >= duration || run == (int) r.rate) {
            return steadyBytes + noise;
        }
        // The batch is loaded progressively; the job's peak is at its end.
        return steadyBytes + (runPeakBytes[Math.min(run, runPeakBytes.length - 1)] - steadyBytes) * (into + 1) / duration + noise;
    }

    @Override
    public void restarted(ReplicaState r, int minute, boolean oom) {
        // The killed run is not retried; the next run starts on schedule.
        r.rate = Math.floorDiv(minute - offset, period);
    }

    @Override
    public void console(ReplicaState r, int minute, ConsoleWriter out) {
        if (!runsJob(r) || minute < offset) {
            return;
        }
        int into = Math.floorMod(minute - offset, period);
        int run = Math.floorDiv(minute - offset, period);
        if (into == 0) {
            out.write(r, minute, 0, "stdout", String.format(Locale.ROOT, "INFO  scheduler: job '%s' started (run %d)", jobName, 1000 + run));
        } else if (into == duration && run != (int) r.rate) {
            out.write(r, minute, 1 + r.rnd.nextInt(20), "stdout", String.format(Locale.ROOT,
                    "INFO  scheduler: job '%s' finished in %d s (run %d)", jobName, duration * 60 - 30 + r.rnd.nextInt(30), 1000 + run));
        }
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
