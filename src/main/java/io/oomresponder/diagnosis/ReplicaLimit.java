package io.oomresponder.diagnosis;

import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signal: the memory a replica may use. A replica's working set covers all its containers, so its
 * limit is the sum of its containers' limits ({@link io.oomresponder.evidence.AppConfig#replicaMemoryLimitBytes()});
 * and the container that was killed, when the system log names one.
 *
 * @param bytes the replica's limit in bytes, null when any container's limit is unknown
 * @param containers number of containers in the template
 * @param killedContainers OOM kills per container name, from system log lines that name one
 */
record ReplicaLimit(Long bytes, int containers, Map<String, Integer> killedContainers) {

    private static final Pattern CONTAINER = Pattern.compile("[Cc]ontainer '([^']+)'");

    static ReplicaLimit of(EvidenceBundle bundle) {
        List<ContainerSpec> cs = bundle.app().containers();
        Map<String, Integer> killed = new LinkedHashMap<>();
        for (SystemLogEvent e : bundle.systemLogs()) {
            if (e.message() == null || RestartEvents.meaning(e.reason(), e.message()) != RestartEvents.LogMeaning.OOM) {
                continue;
            }
            Matcher m = CONTAINER.matcher(e.message());
            if (m.find()) {
                killed.merge(m.group(1), 1, Integer::sum);
            }
        }
        return new ReplicaLimit(bundle.app().replicaMemoryLimitBytes(), cs.size(), Map.copyOf(killed));
    }

    /** The container most often named in OOM kill lines, or null when no line names one. */
    String mostKilled() {
        String best = null;
        for (var e : new java.util.TreeMap<>(killedContainers).entrySet()) {
            if (best == null || e.getValue() > killedContainers.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }
}
