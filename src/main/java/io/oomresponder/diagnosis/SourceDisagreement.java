package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;

import java.util.ArrayList;
import java.util.List;

/**
 * Signal: where the sources tell different stories. Stated in the diagnosis's findings rather
 * than silently resolved: restarts with memory at the limit but no OOM log line, an OOM log line
 * while memory looked low, logs not attributable to a replica, ARM restart counts that do not
 * cover the restarts seen, and gaps in the evidence.
 */
final class SourceDisagreement {

    /** Memory below this share of the limit "looked low" at an OOM kill. */
    static final double LOW_MEMORY_FRACTION = 0.70;

    private SourceDisagreement() {
    }

    static List<String> findings(EvidenceBundle bundle, AppTimelines app, RestartEvents.Result restarts) {
        // The bundle's gaps are not repeated here: the note shows them once, in its gaps section.
        List<String> out = new ArrayList<>();
        List<RestartEvent> all = restarts.all();
        boolean logsGathered = bundle.gaps().stream().noneMatch(g -> "logs".equalsIgnoreCase(g.source()));
        long atLimitNoLog = all.stream().filter(e -> e.kind() == RestartEvent.Kind.MEMORY_AT_LIMIT).count();
        if (atLimitNoLog > 0) {
            out.add(atLimitNoLog + " restart(s) came with the working set at ≥"
                    + Narrative.pct(RestartEvents.AT_LIMIT_FRACTION) + " of the limit but no OOMKilled log line"
                    + (logsGathered ? " (the system logs were gathered but do not mention them)." : " (system logs were not available)."));
        }
        long oomLow = all.stream().filter(e -> e.kind() == RestartEvent.Kind.OOM_KILLED
                && !Double.isNaN(e.memoryBeforeToLimit()) && e.memoryBeforeToLimit() < LOW_MEMORY_FRACTION).count();
        if (oomLow > 0) {
            out.add(oomLow + " OOM kill(s) in the logs came while the sampled working set looked low (<"
                    + Narrative.pct(LOW_MEMORY_FRACTION) + " of the limit): a spike shorter than the metric grain, "
                    + "or a child process killed, is likely.");
        }
        long logOnly = all.stream().filter(e -> e.sources().contains(RestartEvent.Source.SYSTEM_LOG)
                && !e.sources().contains(RestartEvent.Source.RESTART_COUNT_METRIC)).count();
        boolean anyRestartMetric = app.replicas().stream().anyMatch(r -> r.restarts() != null);
        if (logOnly > 0 && anyRestartMetric) {
            out.add(logOnly + " termination(s) in the system log have no matching RestartCount increment.");
        }
        if (restarts.unattributedOomLogs() > 0) {
            out.add(restarts.unattributedOomLogs() + " OOM log line(s) name no replica seen in the metrics.");
        }
        // Azure documents RestartCount both as a running counter and as per-bucket counts
        // (docs/azure-contract.md): a counter's last value and ARM's restartCount (summed over the
        // replica's containers) count the same restarts since creation, but per-bucket counts do not,
        // so the two are compared only when the series show they are counters.
        boolean counters = countersShown(app);
        for (ReplicaTimeline r : app.replicas()) {
            double last = counters ? lastCounterValue(r.restarts()) : Double.NaN;
            if (r.armRestartCount() != null && !Double.isNaN(last) && Math.round(last) != r.armRestartCount()) {
                out.add("Replica " + r.name() + ": the RestartCount counter ends at " + Math.round(last)
                        + " but ARM reports " + r.armRestartCount() + " restart(s) since creation"
                        + (Math.round(last) < r.armRestartCount() ? " (restarts after the window, or samples missing)." : "."));
            }
            int seen = restarts.byReplica().getOrDefault(r.name(), List.of()).size();
            if (r.armRestartCount() != null && r.armRestartCount() < seen) {
                out.add("Replica " + r.name() + ": ARM reports " + r.armRestartCount() + " restart(s) since creation, but "
                        + seen + " were seen in the window.");
            }
        }
        return out;
    }

    /**
     * Whether the app's RestartCount series show they are running counters: none falls (per-bucket
     * counts fall after each restart) and one starts above zero (restarts from before the window; per
     * bucket, a first sample above zero would need a restart in every later bucket too). All series
     * flat at zero read the same either way: then nothing is shown.
     */
    static boolean countersShown(AppTimelines app) {
        boolean startsAbove = false;
        for (ReplicaTimeline r : app.replicas()) {
            double[] c = r.restarts();
            if (c == null) {
                continue;
            }
            if (RestartEvents.falls(c)) {
                return false;
            }
            for (double v : c) {
                if (v == v) {
                    startsAbove |= v >= 0.5;
                    break;
                }
            }
        }
        return startsAbove;
    }

    /** The counter's last value, NaN without samples or when the series is not a counter (it falls). */
    static double lastCounterValue(double[] counter) {
        if (counter == null) {
            return Double.NaN;
        }
        double prev = Double.NaN;
        for (double v : counter) {
            if (v != v) {
                continue;
            }
            if (prev == prev && v < prev - 0.5) {
                return Double.NaN;
            }
            prev = v;
        }
        return prev;
    }
}
