package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flowchart node G (then I, profile): a leak or an unbounded buffer? Ranks
 * {@link Diagnosis.Cause#UNBOUNDED_BUFFERING} first when at least {@link #BUFFER_SIGNALS_NEEDED}
 * buffering signals agree ({@link #bufferSignals}), else {@link Diagnosis.Cause#APPLICATION_LEAK};
 * projects the next OOM ({@link OomProjection}).
 *
 * <p>Confidence: the geometric mean of the significance of the growth (1 − p of the median
 * Mann–Kendall Z of the leak-like segments), the share of growing segments that grow with time
 * (when F decided on the resets across restarts: the Z of the segments that grew again after a
 * held reset, and the held resets' share of the kills under unchanged traffic),
 * regrowth seen after a restart (1, else 0.6) and memory kills corroborating (1, else 0.7).
 */
final class LeakOrBufferNode {

    /** Memory growing while served requests fall, at least this strongly (negative rank correlation), is a backlog signal. */
    static final double BACKLOG_RHO = 0.5;
    /** Console lines about a backlog that make one buffering signal. */
    static final int BACKLOG_LINES = 1;
    /** Growth reaching less than this share of its rise halfway through a segment speeds up: a buffering signal. */
    static final double ACCELERATING_HALFWAY_SHARE = 0.42;
    /** KEDA scaler types that read a queue or stream. */
    static final List<String> QUEUE_SCALERS = List.of("servicebus", "queue", "kafka", "eventhub", "rabbitmq", "redis-streams", "nats");
    /** Buffering signals (of four) needed to rank UNBOUNDED_BUFFERING first. */
    static final int BUFFER_SIGNALS_NEEDED = 2;

    private LeakOrBufferNode() {
    }

    static Conclusion decide(RestartsNode.Outcome a, MemoryGrowth m, RegrowthNode.Outcome f) {
        GrowthPattern growth = m.growth();
        List<MemorySegment> earlierGrowth = new ArrayList<>();
        for (List<MemorySegment> segs : m.segments()) {
            for (MemorySegment seg : segs) {
                if (seg.endsInRestart() && GrowthPattern.grows(seg) && GrowthPattern.steady(seg)) {
                    earlierGrowth.add(seg);
                }
            }
        }
        OomProjection projection = OomProjection.of(a.app(), m.open(), earlierGrowth, a.limit());
        int bufferSignals = bufferSignals(a.bundle(), a.app(), m.segments());
        List<Diagnosis.Cause> causes = bufferSignals >= BUFFER_SIGNALS_NEEDED
                ? List.of(Diagnosis.Cause.UNBOUNDED_BUFFERING, Diagnosis.Cause.APPLICATION_LEAK)
                : List.of(Diagnosis.Cause.APPLICATION_LEAK, Diagnosis.Cause.UNBOUNDED_BUFFERING);
        RestartResets resets = m.resets();
        // Decided by the resets across restarts: their growth and their share of the telling kills.
        double sig = 1 - RobustTrend.upperTail(f.byResets() ? resets.medianZ() : growth.medianZ());
        double share = f.byResets() ? resets.heldResets() / (double) (resets.heldResets() + resets.refills())
                : growth.leakLike() / (double) Math.max(1, growth.leakLike() + growth.trafficDriven());
        double conf = Conclusion.clamp(Math.pow(sig * share * (m.regrowths() > 0 ? 1 : 0.6) * (a.memoryKills() > 0 ? 1 : 0.7), 0.25));
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("bufferSignals", bufferSignals);
        g.put("bufferSignalsNeeded", BUFFER_SIGNALS_NEEDED);
        putProjection(g, projection);
        DecisionStep step = new DecisionStep("G", "Leak or unbounded buffer?", (causes.get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING
                ? "Unbounded buffering is the likelier form: " + bufferSignals + " of 4 buffering signals (a queue scale rule, backlog lines in the logs, served requests falling while memory rises, growth speeding up) agree (≥ " + BUFFER_SIGNALS_NEEDED + " needed)."
                : "An application leak: memory grows with process age, not with the work arriving (" + bufferSignals
                + " of 4 buffering signals, fewer than " + BUFFER_SIGNALS_NEEDED + ").")
                + (projection == null ? "" : " Next OOM expected " + Narrative.range(projection) + " (" + projection.replica() + ")."), g);
        return new Conclusion(step, Diagnosis.Verdict.LEAK_SUSPECTED, causes, conf, projection,
                ScalePressure.of(a.app(), a.maxReplicas()), false);
    }

    /** A leak caught before its first OOM (no restart in the window). */
    static Conclusion early(RestartsNode.Outcome a, MemoryGrowth m, GrowthVsTrafficNode.Outcome e) {
        GrowthPattern growth = m.growth();
        double rho = e.rho();
        OomProjection projection = OomProjection.of(a.app(), m.open(), List.of(), a.limit());
        List<Diagnosis.Cause> causes = List.of(Diagnosis.Cause.APPLICATION_LEAK, Diagnosis.Cause.UNBOUNDED_BUFFERING);
        double conf = Conclusion.clamp(Math.sqrt((1 - RobustTrend.upperTail(growth.medianZ())) * (Double.isNaN(rho) ? 0.7 : 1 - Math.max(0, rho))));
        Map<String, Object> g = new LinkedHashMap<>();
        putProjection(g, projection);
        DecisionStep step = new DecisionStep("G", "Leak or unbounded buffer?", "An application leak caught before its first OOM: memory grows with process age, not with traffic."
                + (projection == null ? "" : " At the fitted trend the limit is reached " + Narrative.range(projection) + " (" + projection.replica() + ")."), g);
        return new Conclusion(step, Diagnosis.Verdict.LEAK_SUSPECTED, causes, conf, projection, null, false);
    }

    private static void putProjection(Map<String, Object> numbers, OomProjection projection) {
        numbers.put("projectedOomEarliest", projection == null ? null : projection.earliest().toString());
        numbers.put("projectedOomLatest", projection == null || projection.latest() == null ? null : projection.latest().toString());
        numbers.put("projectedFromReplica", projection == null ? null : projection.replica());
    }

    /**
     * Unbounded buffering rather than a leak, when at least {@link #BUFFER_SIGNALS_NEEDED} of four
     * independent signals agree: a scale rule on a queue or stream ({@link #QUEUE_SCALERS}), console lines about a backlog (at least {@link #BACKLOG_LINES}
     * lines naming a queue, backlog, buffer or pending work), served requests falling while memory
     * rises (median Spearman ρ of the growing segments ≤ −{@link #BACKLOG_RHO}, or the window's
     * served requests falling significantly, Mann–Kendall Z ≤ −{@link GrowthPattern#Z_RISING}), and growth that
     * speeds up as the backlog builds (median share of the rise reached halfway through a growing
     * segment below {@link #ACCELERATING_HALFWAY_SHARE}; steady growth is near 0.5). A keyword
     * alone never decides.
     */
    static int bufferSignals(EvidenceBundle bundle, AppTimelines app, List<List<MemorySegment>> segments) {
        int lines = 0;
        int backlogLines = 0;
        for (var l : bundle.consoleLogs()) {
            if (lines++ > 2000 || backlogLines >= BACKLOG_LINES) {
                break;
            }
            if (l.message() == null) {
                continue;
            }
            String msg = l.message().toLowerCase(Locale.ROOT);
            if (msg.contains("backlog") || msg.contains("queue") || msg.contains("buffer") || msg.contains("pending")) {
                backlogLines++;
            }
        }
        double[] rhos = new double[64];
        double[] halves = new double[64];
        int n = 0;
        int nh = 0;
        for (List<MemorySegment> segs : segments) {
            for (MemorySegment s : segs) {
                if (!GrowthPattern.grows(s)) {
                    continue;
                }
                if (!Double.isNaN(s.rhoTraffic()) && n < rhos.length) {
                    rhos[n++] = s.rhoTraffic();
                }
                if (!Double.isNaN(s.halfwayRiseShare()) && nh < halves.length) {
                    halves[nh++] = s.halfwayRiseShare();
                }
            }
        }
        int signals = backlogLines >= BACKLOG_LINES ? 1 : 0;
        // The app scales on a queue: it takes work from a queue and can hold a backlog of it.
        if (bundle.app().scale() != null && bundle.app().scale().rules() != null) {
            signals += bundle.app().scale().rules().stream().anyMatch(r -> r.type() != null
                    && QUEUE_SCALERS.stream().anyMatch(q -> r.type().toLowerCase(Locale.ROOT).contains(q))) ? 1 : 0;
        }
        // Memory rising while served requests fall: work is piling up inside the process.
        boolean servedFalls = n > 0 && TrafficRelation.median(rhos, n) <= -BACKLOG_RHO
                || servedTrend(app).mannKendallZ() <= -GrowthPattern.Z_RISING;
        signals += servedFalls ? 1 : 0;
        signals += nh > 0 && TrafficRelation.median(halves, nh) < ACCELERATING_HALFWAY_SHARE ? 1 : 0;
        return signals;
    }

    /** The trend of the requests all replicas served, over the whole window. */
    static RobustTrend servedTrend(AppTimelines app) {
        double[] total = new double[app.grid().size()];
        java.util.Arrays.fill(total, Double.NaN);
        for (ReplicaTimeline r : app.replicas()) {
            double[] q = r.requests();
            if (q == null) {
                continue;
            }
            for (int i = 0; i < q.length; i++) {
                if (q[i] == q[i]) {
                    total[i] = total[i] != total[i] ? q[i] : total[i] + q[i];
                }
            }
        }
        return RobustTrend.of(total, 0, total.length, app.grid().stepMinutes());
    }
}
