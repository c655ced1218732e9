package io.oomresponder.simulator;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertSignal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Objects;

/**
 * Moves a simulated incident to another app and time, so the simulator can answer for the app
 * and window of any alert (replaying a saved payload against the simulator). Every instant is
 * shifted by the same amount, so the scenario's shape is unchanged; every name derived from the
 * scenario's app (revisions {@code app--suffix}, replicas, log lines, metric dimensions, the alert
 * rule) is renamed to the asked app, so a simulated replay is about that app throughout.
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
        UnaryOperator<String> n = renaming(a.name(), name);

        AppConfig app = new AppConfig(appResourceId, name, group, subscription, n.apply(a.latestRevision()), a.containers(), a.scale(),
                a.location(), a.environmentId(), a.workspaceId(),
                a.revisions().stream().map(r -> new RevisionInfo(n.apply(r.name()), plus(r.createdAt(), shift), r.active(), r.trafficWeight(),
                        r.replicas(), r.runningState(), r.healthState())).toList(),
                a.tags(), a.workloadProfileName(), a.workloadProfile());
        AlertSignal al = truth.alert();
        AlertSignal alert = new AlertSignal(al.id(), n.apply(al.rule()), al.signal(), al.condition(), firedAt, plus(al.resolvedAt(), shift),
                appResourceId, null, al.severity(), al.metricValue(), al.threshold(), n.apply(al.query()), renamed(al.dimensions(), n),
                plus(al.windowStart(), shift), plus(al.windowEnd(), shift));
        EvidenceWindow w = truth.window();
        // Metric sample times are whole seconds (Azure writes whole minutes): they move by the whole seconds of the shift.
        List<MetricSeries> metrics = truth.metrics().stream().map(m -> m.shifted(shift.getSeconds()).withDimensions(renamed(m.dimensions(), n))).toList();
        List<Replica> replicas = truth.replicas().stream().map(r -> new Replica(n.apply(r.name()), n.apply(r.revision()), plus(r.createdAt(), shift),
                r.runningState(), r.containers())).toList();
        List<SystemLogEvent> system = truth.systemLogs().stream().map(e -> new SystemLogEvent(plus(e.time(), shift), n.apply(e.revision()),
                n.apply(e.replica()), e.reason(), e.type(), n.apply(e.message()), e.container())).toList();
        List<ConsoleLine> console = truth.consoleLogs().stream().map(c -> new ConsoleLine(plus(c.time(), shift), n.apply(c.revision()),
                n.apply(c.replica()), c.container(), c.stream(), n.apply(c.message()))).toList();
        List<EvidenceGap> gaps = truth.gaps().stream().map(g -> new EvidenceGap(g.source(), n.apply(g.detail()))).toList();
        return new EvidenceBundle(truth.schemaVersion(), alert, new EvidenceWindow(w.start().plus(shift), w.end().plus(shift), w.grain()),
                app, replicas, metrics, system, console, gaps);
    }

    /**
     * As {@link #retarget(EvidenceBundle, String, Instant)}, the app running in managed environment
     * {@code environmentId} (its workspace customer id then derived by the simulator from the environment).
     */
    public static EvidenceBundle retarget(EvidenceBundle truth, String appResourceId, Instant firedAt, String environmentId) {
        EvidenceBundle moved = retarget(truth, appResourceId, firedAt);
        AppConfig a = moved.app();
        AppConfig placed = a.withPlace(a.location(), Objects.requireNonNull(environmentId, "environmentId"), null, a.revisions());
        return new EvidenceBundle(moved.schemaVersion(), moved.alert(), moved.window(), placed, moved.replicas(), moved.metrics(),
                moved.systemLogs(), moved.consoleLogs(), moved.gaps());
    }

    /** Replaces the scenario app's name where it appears as a word (revision "app--x", replica "app--x-y", "Container app ..."). */
    private static UnaryOperator<String> renaming(String from, String to) {
        if (from == null || from.equals(to)) {
            return UnaryOperator.identity();
        }
        Pattern word = Pattern.compile("(?<![A-Za-z0-9-])" + Pattern.quote(from) + "(?=$|--|[^A-Za-z0-9-])");
        String replacement = Matcher.quoteReplacement(to);
        return s -> s == null ? null : word.matcher(s).replaceAll(replacement);
    }

    private static Map<String, String> renamed(Map<String, String> values, UnaryOperator<String> n) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, n.apply(v)));
        return out;
    }

    private static Instant plus(Instant t, Duration shift) {
        return t == null ? null : t.plus(shift);
    }
}
