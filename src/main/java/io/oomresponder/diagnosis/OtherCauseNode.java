package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flowchart node D: memory does not grow toward the limit, so what else ended the containers?
 * After restarts: the non-memory exits the logs show ({@link Diagnosis.Cause#NON_MEMORY_CRASH}).
 * Before any restart: an app sized tight (median level ≥ {@link #SIZED_TIGHT_LEVEL}, no growth) or
 * nothing on memory.
 */
final class OtherCauseNode {

    /** Without restarts or growth, a median level at or above this share of the limit is an app sized tight. */
    static final double SIZED_TIGHT_LEVEL = 0.80;

    private OtherCauseNode() {
    }

    static Conclusion decide(RestartsNode.Outcome a, WorkingSetNode.Outcome b) {
        List<RestartEvent> all = a.all();
        int nonOom = a.nonOom();
        double peakToLimit = b.peakToLimit();
        List<Diagnosis.Cause> causes = all.isEmpty() ? List.of() : List.of(Diagnosis.Cause.NON_MEMORY_CRASH);
        double headroom = Conclusion.clamp((WorkingSetNode.PEAK_NEAR_LIMIT_FRACTION - peakToLimit) / 0.4);
        double exitShare = all.isEmpty() ? 1 : (1 + nonOom / (double) all.size()) / 2;
        double conf = Conclusion.clamp(Math.sqrt(headroom * exitShare));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("restarts", all.size());
        d.put("otherExits", nonOom);
        d.put("peakToLimit", Narrative.round(peakToLimit));
        DecisionStep step = new DecisionStep("D", "What else ended the containers?", all.isEmpty()
                ? "Nothing: there were no restarts and memory stayed below the limit; this is not a memory incident."
                : nonOom + " of " + all.size() + " restart(s) have a non-memory exit in the logs (" + exitSummary(all)
                + "); memory was not near the limit, so look for a crash, failed dependency or failing probe.", d);
        return new Conclusion(step, Diagnosis.Verdict.OTHER_CRASH_CAUSE, causes, conf, null, null, false);
    }

    static Conclusion early(MemoryGrowth m, GrowthTowardLimitNode.EarlyOutcome c, DiagnosisThresholds t) {
        double rho = m.traffic().medianCorrelation();
        double followsRho = t.followsTrafficRho();
        boolean follows = !Double.isNaN(rho) && rho >= followsRho;
        double level = c.level();
        double tightLevel = t.sizedTightLevel();
        boolean tight = level >= tightLevel;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("medianLevelToLimit", Narrative.round(level));
        d.put("sizedTightThreshold", tightLevel);
        d.put("trafficCorrelation", Narrative.round(rho));
        DecisionStep step = new DecisionStep("D", "What else is going on?", tight
                ? "Memory sits flat near the limit: its median level is " + Narrative.pct(level, tightLevel) + " of the limit (≥ "
                + Narrative.pct(tightLevel) + "), with no significant growth and "
                + (Double.isNaN(rho) ? "no Requests metric" : "no link to traffic (Spearman ρ " + Narrative.num(rho, followsRho) + " < "
                + followsRho + ")")
                + ". The app is sized tight: this is neither a leak nor peak demand."
                : "Nothing on memory: no restart, no significant growth, and memory's median level is " + Narrative.pct(level, tightLevel)
                + " of the limit (below " + Narrative.pct(tightLevel) + ").", d);
        double conf = Conclusion.clamp(tight ? Math.min(1, (level - 0.7) / 0.2) * (follows ? 0.5 : 1) : (tightLevel - level) / 0.3 + 0.5);
        return new Conclusion(step, Diagnosis.Verdict.OTHER_CRASH_CAUSE, List.of(), conf, null, null, tight);
    }

    private static String exitSummary(List<RestartEvent> all) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (RestartEvent e : all) {
            String k = e.exitCode() != null ? "exit " + e.exitCode() : e.kind() == RestartEvent.Kind.NON_OOM_EXIT ? "probe/back-off" : "no log";
            codes.merge(k, 1, Integer::sum);
        }
        List<String> parts = new ArrayList<>();
        codes.forEach((k, v) -> parts.add(v + "× " + k));
        return String.join(", ", parts);
    }
}
