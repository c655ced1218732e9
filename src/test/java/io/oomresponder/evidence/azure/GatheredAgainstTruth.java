package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares a gathered bundle with the truth the simulator served, within the gathered window. */
final class GatheredAgainstTruth {

    private GatheredAgainstTruth() {
    }

    /** Each truth series restricted to the window, keyed by name/aggregation/dimensions. */
    static void assertMetricsMatch(EvidenceBundle truth, EvidenceBundle gathered) {
        EvidenceWindow w = gathered.window();
        Map<String, MetricSeries> byKey = new HashMap<>();
        for (MetricSeries s : gathered.metrics()) {
            assertThat(byKey.put(key(s), s)).as("duplicate series " + key(s)).isNull();
        }
        int compared = 0;
        for (MetricSeries t : truth.metrics()) {
            // Azure splits a metric only by the dimensions it has (MemoryPercentage: podName only).
            t = new MetricSeries(t.name(), t.aggregation(), t.unit(), supported(t), t.points());
            List<MetricPoint> inWindow = t.points().stream().filter(p -> inside(p.time(), w)).toList();
            if (inWindow.stream().allMatch(p -> p.value() == null)) {
                assertThat(byKey).as("series without samples in the window is left out: " + key(t)).doesNotContainKey(key(t));
                continue;
            }
            MetricSeries g = byKey.remove(key(t));
            assertThat(g).as("gathered series " + key(t)).isNotNull();
            assertThat(g.unit()).isEqualTo(t.unit());
            Map<Instant, Double> truthAt = new HashMap<>();
            inWindow.forEach(p -> truthAt.put(p.time(), p.value()));
            for (MetricPoint p : g.points()) {
                assertThat(p.value()).as(key(t) + " at " + p.time()).isEqualTo(truthAt.get(p.time()));
            }
            assertThat(g.points().stream().map(MetricPoint::time).toList()).containsAll(truthAt.keySet());
            compared++;
        }
        assertThat(byKey).as("series the truth does not have").isEmpty();
        assertThat(compared).isPositive();
    }

    static void assertLogsMatch(EvidenceBundle truth, EvidenceBundle gathered) {
        EvidenceWindow w = gathered.window();
        List<SystemLogEvent> system = truth.systemLogs().stream().filter(e -> inside(e.time(), w)).toList();
        assertThat(gathered.systemLogs()).containsExactlyElementsOf(system);
        List<ConsoleLine> console = new ArrayList<>(truth.consoleLogs().stream().filter(e -> inside(e.time(), w)).toList());
        assertThat(gathered.consoleLogs()).containsExactlyElementsOf(console);
    }

    private static boolean inside(Instant t, EvidenceWindow w) {
        return !t.isBefore(w.start()) && t.isBefore(w.end());
    }

    private static Map<String, String> supported(MetricSeries s) {
        if (s.dimensions().containsKey(QueueBacklogReader.NAMESPACE_DIMENSION)) {
            // A queue's backlog series: gathered from the queue's resource, tagged with its metrics namespace.
            return s.dimensions();
        }
        List<String> dims = java.util.stream.Stream.concat(MetricsEvidenceReader.GROUPS.stream(), MetricsEvidenceReader.JAVA_GROUPS.stream())
                // A metric asked in two groups (Requests per replica, and app-wide per statusCodeCategory):
                // the group whose split the series has.
                .filter(g -> g.metrics().contains(s.name()) && s.dimensions().keySet().containsAll(g.splitBy()))
                .map(MetricsEvidenceReader.MetricGroup::splitBy).findFirst().orElse(List.of());
        Map<String, String> out = new java.util.LinkedHashMap<>(s.dimensions());
        out.keySet().retainAll(dims);
        return out;
    }

    private static String key(MetricSeries s) {
        return s.name() + "/" + s.aggregation() + "/" + new java.util.TreeMap<>(s.dimensions());
    }
}
