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
    /** Console lines about a queue or backlog that raise the buffering question. */
    static final int BACKLOG_LINES = 1;
        /** KEDA scaler types that read a queue or stream: they raise a question in the note, never a ranking. */
    static final List<String> QUEUE_SCALERS = List.of("servicebus", "queue", "kafka", "eventhub", "rabbitmq", "redis-streams", "nats");
    /** Measured buffering signals (of three) needed to rank UNBOUNDED_BUFFERING first. */
    static final int BUFFER_SIGNALS_NEEDED = 2;

    private LeakOrBufferNode() {
    }

    static Conclusion decide(RestartsNode.Outcome a, MemoryGrowth m, RegrowthNode.Outcome f, DiagnosisThresholds t) {
        GrowthPattern growth = m.growth();
        List<MemorySegment> earlierGrowth = new ArrayList<>();
        for (List<MemorySegment> segs : m.segments()) {
            for (MemorySegment seg : segs) {
                if (seg.endsInRestart() && GrowthPattern.grows(seg, t) && GrowthPattern.steady(seg)) {
                    earlierGrowth.add(seg);
                }
            }
        }
        OomProjection projection = OomProjection.of(a.app(), m.open(), earlierGrowth, a.limit());
        BufferSignals signals = bufferSignals(a.bundle(), a.app(), m.segments(), t);
        int bufferSignals = signals.count();
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
        g.put("queueBacklogMetric", signals.backlog().metric());
        g.put("queueBacklogMannKendallZ", signals.backlog().measured() ? Narrative.round(signals.backlog().trend().mannKendallZ()) : null);
        g.put("queueBacklogStart", Narrative.round(signals.backlog().first()));
        g.put("queueBacklogEnd", Narrative.round(signals.backlog().last()));
        g.put("servedRequestsMannKendallZ", Narrative.round(signals.servedZ()));
        g.put("medianSegmentTrafficCorrelation", Narrative.round(signals.medianSegmentRho()));
        g.put("segmentsSpeedingUp", signals.accelerating());
        g.put("segmentsTestedForSpeedUp", signals.testable());
        putProjection(g, projection);
        DecisionStep step = new DecisionStep("G", "Leak or unbounded buffer?", (causes.get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING
                ? "Unbounded buffering is the likelier form: " + bufferSignals + " of 3 measured buffering signals agree (≥ " + BUFFER_SIGNALS_NEEDED + " needed): " + signalText(signals) + "."
                : "An application leak: memory grows with process age, not with the work arriving (" + bufferSignals
                + " of 3 measured buffering signals, fewer than " + BUFFER_SIGNALS_NEEDED + ": " + signalText(signals) + ").")
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

    private static String signalText(BufferSignals s) {
        return (s.backlog().measured() ? "queue backlog (" + s.backlog().metric() + ") " + (s.backlog().grows() ? "grew" : "did not grow")
                + " (Mann–Kendall Z " + Narrative.num(s.backlog().trend().mannKendallZ()) + ")" : "no queue backlog metric")
                + "; served requests " + (s.servedFalls() ? "fell" : "did not fall") + " while memory rose (window Z "
                + Narrative.num(s.servedZ()) + ", segment ρ " + Narrative.num(s.medianSegmentRho()) + ")"
                + "; growth sped up in " + s.accelerating() + " of " + s.testable() + " segment(s) tested";
    }

    private static void putProjection(Map<String, Object> numbers, OomProjection projection) {
        numbers.put("projectedOomEarliest", projection == null ? null : projection.earliest().toString());
        numbers.put("projectedOomLatest", projection == null || projection.latest() == null ? null : projection.latest().toString());
        numbers.put("projectedFromReplica", projection == null ? null : projection.replica());
    }

    /**
     * The buffering signals, all measured: the queue's own backlog grows ({@link QueueBacklog}),
     * served requests fall while memory rises (median Spearman ρ of the growing segments ≤
     * −{@link #BACKLOG_RHO}, or the window's served requests falling significantly, Mann–Kendall
     * Z ≤ −{@link GrowthPattern#Z_RISING}), and growth that speeds up as a backlog builds (in more
     * than half of the growing segments long enough to split, the second half's slope is above the
     * first half's beyond both 95% intervals). A scale rule on a queue or a log line about one is
     * metadata, not a measurement: it only raises a question ({@link #questions}).
     */
    static BufferSignals bufferSignals(EvidenceBundle bundle, AppTimelines app, List<List<MemorySegment>> segments, DiagnosisThresholds t) {
        double[] rhos = new double[64];
        int n = 0;
        int testable = 0;
        int accelerating = 0;
        for (List<MemorySegment> segs : segments) {
            for (MemorySegment s : segs) {
                if (!GrowthPattern.grows(s, t)) {
                    continue;
                }
                if (!Double.isNaN(s.rhoTraffic()) && n < rhos.length) {
                    rhos[n++] = s.rhoTraffic();
                }
                int speeds = speedsUp(app, s);
                if (speeds >= 0) {
                    testable++;
                    accelerating += speeds;
                }
            }
        }
        QueueBacklog backlog = QueueBacklog.of(bundle, app.grid());
        RobustTrend served = servedTrend(app);
        double medianRho = TrafficRelation.median(rhos, n);
        boolean servedFalls = n > 0 && medianRho <= -t.backlogRho() || served.mannKendallZ() <= -GrowthPattern.Z_RISING;
        boolean accelerates = testable > 0 && accelerating * 2 > testable;
        return new BufferSignals(backlog, servedFalls, medianRho, served.mannKendallZ(), accelerating, testable, accelerates);
    }

    /**
     * The measured buffering signals.
     *
     * @param accelerating growing segments whose second half climbs faster than their first beyond both 95% intervals
     * @param testable     growing segments long enough to compare their halves
     */
    record BufferSignals(QueueBacklog backlog, boolean servedFalls, double medianSegmentRho, double servedZ,
                         int accelerating, int testable, boolean accelerates) {
        int count() {
            return (backlog.grows() ? 1 : 0) + (servedFalls ? 1 : 0) + (accelerates ? 1 : 0);
        }
    }

    /**
     * 1 when the segment's second half climbs faster than its first beyond both slopes' 95%
     * intervals, 0 when not, −1 when a half is too short to measure (fewer than
     * {@link GrowthPattern#MIN_GROWTH_POINTS} points or {@link GrowthPattern#MIN_GROWTH_SPAN_MINUTES}).
     */
    static int speedsUp(AppTimelines app, MemorySegment s) {
        ReplicaTimeline r = null;
        for (ReplicaTimeline x : app.replicas()) {
            if (x.name().equals(s.replica())) {
                r = x;
                break;
            }
        }
        if (r == null) {
            return -1;
        }
        int mid = (s.from() + s.to()) / 2;
        double step = app.grid().stepMinutes();
        RobustTrend early = RobustTrend.of(r.workingSetBytes(), s.from(), mid, step);
        RobustTrend late = RobustTrend.of(r.workingSetBytes(), mid, s.to(), step);
        if (!early.known() || !late.known() || early.points() < GrowthPattern.MIN_GROWTH_POINTS
                || late.points() < GrowthPattern.MIN_GROWTH_POINTS || early.spanMinutes() < GrowthPattern.MIN_GROWTH_SPAN_MINUTES
                || late.spanMinutes() < GrowthPattern.MIN_GROWTH_SPAN_MINUTES) {
            return -1;
        }
        return late.slopeLowPerMinute() > early.slopeHighPerMinute() ? 1 : 0;
    }

    /**
     * Questions metadata raises for the note, never a ranking: a scale rule on a queue or stream, or
     * console lines naming a queue, backlog, buffer or pending work, while no measured signal
     * says the work piles up.
     */
    static List<String> questions(EvidenceBundle bundle, BufferSignals signals) {
        List<String> out = new ArrayList<>();
        String rule = null;
        if (bundle.app().scale() != null && bundle.app().scale().rules() != null) {
            for (var r : bundle.app().scale().rules()) {
                if (r.type() != null && QUEUE_SCALERS.stream().anyMatch(q -> r.type().toLowerCase(Locale.ROOT).contains(q))) {
                    rule = r.type();
                    break;
                }
            }
        }
        int lines = 0;
        int backlogLines = 0;
        for (var l : bundle.consoleLogs()) {
            if (lines++ > 2000 || backlogLines >= BACKLOG_LINES) {
                break;
            }
            String msg = l.message() == null ? "" : l.message().toLowerCase(Locale.ROOT);
            if (msg.contains("backlog") || msg.contains("queue") || msg.contains("buffer") || msg.contains("pending")) {
                backlogLines++;
            }
        }
        if ((rule != null || backlogLines >= BACKLOG_LINES) && signals.count() < BUFFER_SIGNALS_NEEDED) {
            out.add("Question: " + (rule != null ? "the app scales on a queue (" + rule + " rule)" : "its console mentions a queue or pending work")
                    + (signals.backlog().measured() ? ", and the queue's backlog (" + signals.backlog().metric() + ") "
                    + (signals.backlog().grows() ? "grew" : "did not grow") + " over the window" : ", but no queue backlog metric was gathered")
                    + ". Does the app hold received work in memory without a bound? Only " + signals.count() + " of 3 measured buffering signals agree ("
                    + BUFFER_SIGNALS_NEEDED + " needed), so a leak ranks first.");
        }
        return out;
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
