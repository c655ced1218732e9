package io.oomresponder.bench;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * For {@code bench scale}: a bundle given {@code n} OOM kills spread evenly over its replicas and
 * window, each as Azure shows one: a rise of the replica's RestartCount counter, a ContainerTerminated
 * system-log event and an OutOfMemoryError console line. Only restart matching's input grows.
 */
public final class RestartStorm {

    private RestartStorm() {
    }

    static EvidenceBundle withRestarts(EvidenceBundle base, int n) {
        List<MetricSeries> counters = base.series("RestartCount");
        List<MetricSeries> metrics = new ArrayList<>();
        List<SystemLogEvent> system = new ArrayList<>();
        List<ConsoleLine> console = new ArrayList<>();
        int replicas = (int) counters.stream().filter(c -> c.podName() != null).count();
        int perReplica = Math.max(1, n / Math.max(1, replicas));
        for (MetricSeries m : base.metrics()) {
            if (!"RestartCount".equals(m.name()) || m.podName() == null || m.size() < 2) {
                metrics.add(m);
                continue;
            }
            long[] t = new long[m.size()];
            double[] v = new double[m.size()];
            int step = Math.max(1, m.size() / (perReplica + 1));
            double counter = 0;
            for (int i = 0; i < m.size(); i++) {
                t[i] = m.epochSecond(i);
                if (i > 0 && i % step == 0 && counter < perReplica) {
                    counter++;
                    java.time.Instant at = m.time(i).plusSeconds(20);
                    system.add(new SystemLogEvent(at, m.revisionName(), m.podName(), "ContainerTerminated", "Warning",
                            "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'"));
                    console.add(new ConsoleLine(at.minusSeconds(5), m.revisionName(), m.podName(), "app", "stderr",
                            "java.lang.OutOfMemoryError: Java heap space"));
                }
                v[i] = counter;
            }
            metrics.add(MetricSeries.ofColumns(m.name(), m.aggregation(), m.unit(), m.dimensions(), t, v));
        }
        system.sort(java.util.Comparator.comparing(SystemLogEvent::time));
        console.sort(java.util.Comparator.comparing(ConsoleLine::time));
        return new EvidenceBundle(base.schemaVersion(), base.alert(), base.window(), base.app(), base.replicas(), metrics,
                system, console, base.gaps());
    }
}
