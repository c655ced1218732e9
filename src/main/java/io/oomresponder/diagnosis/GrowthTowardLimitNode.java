package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flowchart node C: does memory grow toward the limit? After restarts ({@link #decide}): yes when a
 * restart has OOM evidence, when memory peaked ≥ {@link WorkingSetNode#PEAK_NEAR_LIMIT_FRACTION} of
 * the limit, or when a segment grows toward the limit ({@link GrowthPattern}). Before any restart
 * ({@link #early}, node C′): a young leak (leak-like growth), a daily peak (memory follows traffic
 * and its crest reaches {@link #EARLY_NEAR_LIMIT}), or neither.
 */
final class GrowthTowardLimitNode {

    /** With no restart at all, memory must stay above 90% of the limit this long to count as near it. */
    static final int SUSTAINED_NEAR_LIMIT_MINUTES = 15;
    /** Without restarts, memory whose crest reaches this share of the limit is near it (early warning). */
    static final double EARLY_NEAR_LIMIT = 0.80;

    /** What node C established after restarts: whether memory grows toward the limit. */
    record Outcome(DecisionStep step, boolean growsToLimit) {
    }

    /**
     * What node C′ established before any restart.
     *
     * @param leakLike  some replica grows with time, not with traffic (a young leak)
     * @param dailyPeak not leak-like, memory follows traffic and its crest reached {@link #EARLY_NEAR_LIMIT}
     * @param level     the tightest replica's median working set / limit
     */
    record EarlyOutcome(DecisionStep step, boolean leakLike, boolean dailyPeak, double level) {
        boolean growsToLimit() {
            return leakLike || dailyPeak;
        }
    }

    private GrowthTowardLimitNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, WorkingSetNode.Outcome b, MemoryGrowth m, DiagnosisThresholds t) {
        double peakToLimit = b.peakToLimit();
        GrowthPattern growth = m.growth();
        int memoryKills = a.memoryKills();
        // Without any restart, a blip of a few minutes near the limit is not memory growing toward it.
        boolean nearLimit = peakToLimit >= WorkingSetNode.PEAK_NEAR_LIMIT_FRACTION
                && (!a.all().isEmpty() || b.aboveMinutes() >= t.sustainedNearLimitMinutes());
        boolean growsToLimit = memoryKills > 0 || nearLimit || growth.growing() > 0;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("memoryKills", memoryKills);
        c.put("peakToLimit", Narrative.round(peakToLimit));
        c.put("segmentsGrowingTowardLimit", growth.growing());
        c.put("segmentsMeasured", growth.segmentsMeasured());
        c.put("mannKendallZThreshold", GrowthPattern.Z_RISING);
        return new Outcome(new DecisionStep("C", "Does memory grow toward the limit?",
                growsToLimit ? "Yes: " + reasons(memoryKills, nearLimit, peakToLimit, growth.growing())
                        : "No: memory peaked at " + Narrative.pct(peakToLimit) + " of the limit, no restart shows OOM evidence and "
                        + "no segment between restarts grows significantly (Mann–Kendall Z ≥ " + GrowthPattern.Z_RISING + ").", c),
                growsToLimit);
    }

    static EarlyOutcome early(RestartsNode.Outcome a, WorkingSetNode.Outcome b, MemoryGrowth m, DiagnosisThresholds t) {
        GrowthPattern growth = m.growth();
        double rho = m.traffic().medianCorrelation();
        double peakToLimit = b.peakToLimit();
        boolean follows = !Double.isNaN(rho) && rho >= t.followsTrafficRho();
        // Leak-like growth excludes segments whose memory follows traffic beyond the common trend
        // (partial rank correlation, GrowthPattern.followsTraffic), so a young leak is told apart from
        // a window that happens to see traffic rise too.
        boolean leak = growth.leakLike() > 0 && growth.leakLike() >= growth.trafficDriven();
        double level = medianLevel(a.app()) / a.limit();
        double nearLimit = t.earlyNearLimit();
        boolean crestNear = peakToLimit >= nearLimit;
        boolean dailyPeak = !leak && follows && crestNear;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("restarts", 0);
        c.put("segmentsGrowingTowardLimit", growth.growing());
        c.put("medianMannKendallZ", Narrative.round(growth.medianZ()));
        c.put("mannKendallZThreshold", GrowthPattern.Z_RISING);
        c.put("peakToLimit", Narrative.round(peakToLimit));
        c.put("medianLevelToLimit", Narrative.round(level));
        c.put("nearLimitThreshold", nearLimit);
        DecisionStep step = new DecisionStep("C", "Does memory grow toward the limit?", growth.growing() > 0
                ? "Yes, before any restart: " + growth.growing() + " replica(s) grow significantly toward the limit (Mann–Kendall Z ≥ "
                + GrowthPattern.Z_RISING + ")."
                : crestNear ? "No steady growth (no replica's trend reaches Mann–Kendall Z ≥ " + GrowthPattern.Z_RISING
                + "), but memory reached " + Narrative.pct(peakToLimit, nearLimit) + " of the limit (≥ " + Narrative.pct(nearLimit) + ") with no restart."
                : "No: no restart, no significant growth, and memory peaked at " + Narrative.pct(peakToLimit, nearLimit) + " of the limit (below "
                + Narrative.pct(nearLimit) + ").", c);
        return new EarlyOutcome(step, leak, dailyPeak, level);
    }

    /** The highest over replicas of each replica's median working set. */
    private static double medianLevel(AppTimelines app) {
        double best = Double.NaN;
        for (ReplicaTimeline r : app.replicas()) {
            double[] w = r.workingSetBytes();
            double[] v = new double[w.length];
            int n = 0;
            for (double x : w) {
                if (!Double.isNaN(x)) {
                    v[n++] = x;
                }
            }
            double med = TrafficRelation.median(v, n);
            if (!Double.isNaN(med) && (Double.isNaN(best) || med > best)) {
                best = med;
            }
        }
        return best;
    }

    private static String reasons(int memoryKills, boolean nearLimit, double peakToLimit, int growing) {
        List<String> r = new ArrayList<>();
        if (memoryKills > 0) {
            r.add(memoryKills + " restart(s) with OOM evidence");
        }
        if (nearLimit) {
            r.add("the working set peaked at " + Narrative.pct(peakToLimit) + " of the limit");
        }
        if (growing > 0) {
            r.add(growing + " segment(s) between restarts grow significantly toward the limit");
        }
        return String.join("; ", r) + ".";
    }
}
