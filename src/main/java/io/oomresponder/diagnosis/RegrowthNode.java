package io.oomresponder.diagnosis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flowchart node F: does memory reset after a restart and then grow again? Yes (a leak or an
 * unbounded buffer, node G) when at least one segment grows with time rather than with traffic, no
 * more segments grow with traffic than with time, and memory reset after a restart and grew again.
 * Without a regrowth, several segments growing with time count only while memory does not follow
 * traffic ({@link GrowthVsTrafficNode#FOLLOWS_TRAFFIC_RHO}): a restart that refills memory at once
 * to the traffic's level is demand. Before any restart, node C′'s young-leak shape decides.
 */
final class RegrowthNode {

    /** What node F established: whether the pattern is a leak's (go to G) or demand's (go to H). */
    record Outcome(DecisionStep step, boolean leak) {
    }

    private RegrowthNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, MemoryGrowth m, GrowthVsTrafficNode.Outcome e) {
        GrowthPattern growth = m.growth();
        boolean anyRestart = !a.all().isEmpty();
        // Without a regrowth after a restart, growth with time in several segments still points to a
        // leak (replicas leaking from their own start), unless memory follows traffic: then a
        // restart refilled memory to the traffic's level at once, which is demand, not a leak.
        boolean leak = growth.leakLike() > 0 && growth.leakLike() >= growth.trafficDriven()
                && (growth.regrowths() > 0 || !anyRestart
                || (growth.leakLike() >= 2 && growth.trafficDriven() == 0 && !e.followsTraffic()));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("regrowthsAfterRestart", growth.regrowths());
        f.put("segmentsGrowingWithTime", growth.leakLike());
        f.put("medianMannKendallZ", Narrative.round(growth.medianZ()));
        f.put("medianKendallTau", Narrative.round(growth.medianTau()));
        f.put("growthBytesPerHour", Narrative.round(growth.growthBytesPerHour()));
        DecisionStep step = new DecisionStep("F", "Does memory reset after a restart and then grow again?", leak
                ? "Yes: " + (growth.regrowths() > 0 ? "after " + growth.regrowths() + " restart(s) memory dropped and climbed again; "
                : "no replica regrew after a restart, but memory does not follow traffic (Spearman ρ "
                + Narrative.num(e.rho()) + " < " + GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO + ") and ") + growth.leakLike()
                + " segment(s) grew steadily with time (median Mann–Kendall Z " + Narrative.num(growth.medianZ()) + ", about "
                + Narrative.mib(growth.growthBytesPerHour()) + "/h) while traffic did not explain it."
                : "No: " + (growth.leakLike() == 0 ? "no segment grows steadily with time independent of traffic"
                : growth.leakLike() + " segment(s) grow with time but " + growth.trafficDriven() + " grow with traffic and memory "
                + (growth.regrowths() == 0 ? "never reset and regrew after a restart" : "regrowth is not the main pattern"))
                + "; memory follows demand or short spikes.", f);
        return new Outcome(step, leak);
    }

    static Outcome early(MemoryGrowth m, GrowthTowardLimitNode.EarlyOutcome c) {
        GrowthPattern growth = m.growth();
        boolean leak = c.leakLike();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("restarts", 0);
        f.put("segmentsGrowingWithTime", growth.leakLike());
        DecisionStep step = new DecisionStep("F", "Does memory reset after a restart and then grow again?", leak
                ? "No restart yet to show a reset; " + growth.leakLike() + " replica(s) climb steadily with time (median Mann–Kendall Z "
                + Narrative.num(growth.medianZ()) + ", about " + Narrative.mib(growth.growthBytesPerHour()) + "/h): a leak caught early."
                : "No restart yet; memory rises and falls with traffic rather than growing with time.", f);
        return new Outcome(step, leak);
    }
}
