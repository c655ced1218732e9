package io.oomresponder.simulator;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertSignal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Moves a simulated incident to another app and time, so the simulator can answer for the app
 * and window of any alert (replaying a saved payload against the simulator). Every instant is
 * shifted by the same amount, so the scenario's shape is unchanged.
 */
public final class Retargeting {

    private Retargeting() {
    }

    /**
     * The truth bundle as if it had happened to {@code appResourceId}, with its alert firing at {@code firedAt}.
     *
     * @param appResourceId a container app ARM id: /subscriptions/S/resourceGroups/G/providers/Microsoft.App/containerApps/N
     */
    public static EvidenceBundle retarget(EvidenceBundle truth, String appResourceId, Instant firedAt) {
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(firedAt, "firedAt");
        String[] parts = Objects.requireNonNull(appResourceId, "appResourceId").split("/");
        if (parts.length != 9 || !"subscriptions".equalsIgnoreCase(parts[1]) || !"resourceGroups".equalsIgnoreCase(parts[3])) {
            throw new IllegalArgumentException("not a container app id: " + appResourceId);
        }
        String subscription = parts[2];
        String group = parts[4];
        String name = parts[8];
        Duration shift = Duration.between(truth.alert().firedAt(), firedAt);

        AppConfig a = truth.app();
        AppConfig app = new AppConfig(appResourceId, name, group, subscription, a.latestRevision(), a.containers(), a.scale(),
                a.location(), a.environmentId(), a.workspaceId(),
                a.revisions().stream().map(r -> new RevisionInfo(r.name(), plus(r.createdAt(), shift), r.active(), r.trafficWeight(),
                        r.replicas(), r.runningState(), r.healthState())).toList(),
                a.tags(), a.workloadProfileName(), a.workloadProfile());
        AlertSignal al = truth.alert();
        AlertSignal alert = new AlertSignal(al.id(), al.rule(), al.signal(), al.condition(), firedAt, plus(al.resolvedAt(), shift),
                appResourceId, null, al.severity(), al.metricValue(), al.threshold(), al.query(), al.dimensions(),
                plus(al.windowStart(), shift), plus(al.windowEnd(), shift));
        EvidenceWindow w = truth.window();
        List<MetricSeries> metrics = truth.metrics().stream().map(m -> new MetricSeries(m.name(), m.aggregation(), m.unit(), m.dimensions(),
                m.points().stream().map(p -> new MetricPoint(p.time().plus(shift), p.value())).toList())).toList();
        List<Replica> replicas = truth.replicas().stream().map(r -> new Replica(r.name(), r.revision(), plus(r.createdAt(), shift),
                r.runningState(), r.containers())).toList();
        List<SystemLogEvent> system = truth.systemLogs().stream().map(e -> new SystemLogEvent(plus(e.time(), shift), e.revision(),
                e.replica(), e.reason(), e.type(), e.message(), e.container())).toList();
        List<ConsoleLine> console = truth.consoleLogs().stream().map(c -> new ConsoleLine(plus(c.time(), shift), c.revision(),
                c.replica(), c.container(), c.stream(), c.message())).toList();
        return new EvidenceBundle(truth.schemaVersion(), alert, new EvidenceWindow(w.start().plus(shift), w.end().plus(shift), w.grain()),
                app, replicas, metrics, system, console, truth.gaps());
    }

    private static Instant plus(Instant t, Duration shift) {
        return t == null ? null : t.plus(shift);
    }
}
