package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flowchart node A: did a replica restart or get OOM-killed in the window? Merges every source's
 * restarts per replica ({@link RestartEvents}) and counts them by how they ended.
 */
final class RestartsNode {

    /**
     * What node A established.
     *
     * @param oomKills     restarts OOM-killed per the logs, plus OOM lines no replica could be matched to
     * @param atLimit      restarts at the memory limit with no log line
     * @param nonOom       restarts with another exit (exit code, probe, back-off)
     * @param replicasSeen replicas with at least one working-set sample
     */
    record Outcome(DecisionStep step, EvidenceBundle bundle, ReplicaLimit replicaLimit, AppTimelines app,
                   RestartEvents.Result restarts, int oomKills, int atLimit, int nonOom, int replicasSeen,
                   Integer maxReplicas) {

        Long limit() {
            return replicaLimit.bytes();
        }

        List<RestartEvent> all() {
            return restarts.all();
        }

        /** Restarts with memory evidence: OOM-killed, or at the limit without a log line. */
        int memoryKills() {
            return oomKills + atLimit;
        }

        /**
         * Whether "no restart" would be known: a restart was seen, or some source of restarts answered
         * (the RestartCount metric, ARM's replica list, or the system logs). When none did, the counts
         * are unknown, never 0.
         */
        boolean restartsKnown() {
            return RestartsNode.restartsKnown(bundle, app, all());
        }

        /** No restart and no OOM line at all: the alert is an early warning (nodes C′ onward). */
        boolean earlyWarning() {
            return all().isEmpty() && restarts.unattributedOomLogs() == 0;
        }
    }

    private RestartsNode() {
    }

    static Outcome decide(EvidenceBundle bundle) {
        ReplicaLimit replicaLimit = ReplicaLimit.of(bundle);
        Long limit = replicaLimit.bytes();
        AppTimelines app = AppTimelines.from(bundle, limit);
        RestartEvents.Result restarts = RestartEvents.merge(app, bundle.systemLogs(), bundle.consoleLogs(), limit);
        List<RestartEvent> all = restarts.all();
        int oomKills = count(all, RestartEvent.Kind.OOM_KILLED) + restarts.unattributedOomLogs();
        int atLimit = count(all, RestartEvent.Kind.MEMORY_AT_LIMIT);
        int nonOom = count(all, RestartEvent.Kind.NON_OOM_EXIT);
        int unexplained = count(all, RestartEvent.Kind.UNEXPLAINED);
        int armRestarts = app.replicas().stream().mapToInt(r -> r.armRestartCount() == null ? 0 : r.armRestartCount()).sum();
        boolean armAnswered = app.replicas().stream().anyMatch(r -> r.armRestartCount() != null);
        int replicasSeen = (int) app.replicas().stream().filter(r -> r.workingSetSamples() > 0).count();
        Integer maxReplicas = bundle.app().scale() == null ? null : bundle.app().scale().maxReplicas();

        // Counts whose sources never answered are unknown (null), not 0.
        boolean known = restartsKnown(bundle, app, all);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("restartsInWindow", known ? all.size() : null);
        a.put("oomKilledByLog", known ? oomKills : null);
        a.put("atLimitWithoutLog", known ? atLimit : null);
        a.put("otherExits", known ? nonOom : null);
        a.put("unexplained", known ? unexplained : null);
        a.put("armRestartCountSinceCreation", armAnswered ? armRestarts : null);
        a.put("killedContainer", replicaLimit.mostKilled());
        DecisionStep step = new DecisionStep("A", "Did a replica restart or get OOM-killed in the window?",
                all.isEmpty() && !known
                        ? "Unknown: no source of restarts answered (the RestartCount metric, the system logs, ARM's replicas); see the evidence gaps."
                        : all.isEmpty() ? "No restart in the window" + (armAnswered ? " (ARM counts " + armRestarts + " since the replicas were created)."
                        : "; ARM's replica list was not read.")
                        : "Yes: " + all.size() + " restart(s) across " + restarts.byReplica().values().stream().filter(l -> !l.isEmpty()).count()
                        + " replica(s): " + oomKills + " OOM-killed per the logs, " + atLimit + " at the memory limit with no log line, "
                        + nonOom + " with another exit (exit code, probe or back-off), " + unexplained + " unexplained"
                        + (replicaLimit.mostKilled() == null || replicaLimit.containers() < 2 ? "."
                        : "; the system log names container '" + replicaLimit.mostKilled() + "' as OOM-killed."), a);
        return new Outcome(step, bundle, replicaLimit, app, restarts, oomKills, atLimit, nonOom, replicasSeen, maxReplicas);
    }

    /** See {@link Outcome#restartsKnown()}. */
    static boolean restartsKnown(EvidenceBundle bundle, AppTimelines app, List<RestartEvent> all) {
        if (!all.isEmpty() || !bundle.series(AppTimelines.RESTART_COUNT).isEmpty()
                || app.replicas().stream().anyMatch(r -> r.armRestartCount() != null) || !bundle.systemLogs().isEmpty()) {
            return true;
        }
        // The system logs answered with no line, when no gap names them.
        return bundle.gaps().stream().noneMatch(g -> g.source() != null && g.source().toLowerCase(java.util.Locale.ROOT).startsWith("logs"));
    }

    private static int count(List<RestartEvent> all, RestartEvent.Kind k) {
        return (int) all.stream().filter(e -> e.kind() == k).count();
    }
}
