package io.oomresponder.evidence.azure;

import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP calls of one gather, each with what it asked for and when it ran; shared by the gather's
 * threads. From them: how many calls, the sum of their durations (what a serial collector would
 * pay), and the chain of calls that each had to wait for the one before (the critical path).
 */
final class CallLedger {

    /** One HTTP attempt: what it read, and when it started and ended (System.nanoTime). */
    record Call(String what, long startNanos, long endNanos) {
        long ms() {
            return (endNanos - startNanos) / 1_000_000L;
        }
    }

    private final List<Call> calls = new ArrayList<>();

    synchronized void record(String what, long startNanos, long endNanos) {
        calls.add(new Call(what, startNanos, endNanos));
    }

    synchronized int calls() {
        return calls.size();
    }

    synchronized long sumOfCallMs() {
        return calls.stream().mapToLong(c -> c.endNanos() - c.startNanos()).sum() / 1_000_000L;
    }

    /**
     * How many calls deep the gather was: the longest chain of calls in which each started only
     * after the one before it had ended (so could have been waiting for it).
     */
    synchronized int dependentRoundTrips() {
        List<Call> byStart = byStart();
        int[] depth = new int[byStart.size()];
        int max = 0;
        for (int i = 0; i < depth.length; i++) {
            depth[i] = 1;
            for (int j = 0; j < i; j++) {
                if (byStart.get(j).endNanos() <= byStart.get(i).startNanos()) {
                    depth[i] = Math.max(depth[i], depth[j] + 1);
                }
            }
            max = Math.max(max, depth[i]);
        }
        return max;
    }

    /**
     * The critical path: the call that ended last, the call that ended last before it started (the
     * one it was waiting for), and so on back to the start.
     */
    synchronized List<Call> criticalPath() {
        List<Call> path = new ArrayList<>();
        Call last = calls.stream().max(Comparator.comparingLong(Call::endNanos)).orElse(null);
        while (last != null) {
            path.add(0, last);
            long start = last.startNanos();
            last = calls.stream().filter(c -> c.endNanos() <= start).max(Comparator.comparingLong(Call::endNanos)).orElse(null);
        }
        return path;
    }

    private List<Call> byStart() {
        List<Call> byStart = new ArrayList<>(calls);
        byStart.sort(Comparator.comparingLong(Call::startNanos));
        return byStart;
    }

    /** What a request reads, in the evidence's words: "container app", "revisions", "metrics", "logs"... */
    static String what(URL url) {
        if (url == null) {
            return "?";
        }
        String path = url.getPath().toLowerCase(Locale.ROOT);
        if (path.contains("/providers/microsoft.insights/metrics")) {
            return path.contains("/providers/microsoft.app/") ? "metrics" : "queue metrics";
        }
        if (path.endsWith("/resources")) {
            return "resource lookup";
        }
        if (path.contains("/query") && !path.contains("/providers/")) {
            return "logs";
        }
        if (path.contains("/diagnosticsettings")) {
            return "diagnostic settings";
        }
        if (path.contains("/providers/microsoft.operationalinsights/workspaces/")) {
            return "workspace";
        }
        if (path.contains("/replicas")) {
            return "replicas";
        }
        if (path.contains("/revisions")) {
            return "revisions";
        }
        if (path.contains("/managedenvironments/")) {
            return "managed environment";
        }
        if (path.contains("/containerapps/")) {
            return "container app";
        }
        return path.contains("/containerapps") ? "container apps list" : "other";
    }
}
