package io.oomresponder.diagnosis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flowchart node F: does memory reset after a restart and then grow again? Yes (a leak or an
 * unbounded buffer, node G) when at least one segment grows with time rather than with traffic, no
 * more segments grow with traffic than with time, and memory reset after a restart and grew again.
 * Without a regrowth, several segments growing with time count only while memory does not follow
 * traffic ({@link GrowthVsTrafficNode#FOLLOWS_TRAFFIC_RHO}): a restart that refills memory at once
 * to the traffic's level is demand. Segments growing with traffic are outvoted by the restarts when
 * more memory kills show memory staying at its baseline under unchanged traffic and climbing again
 * than show it refilling ({@link RestartResets}). Before any restart, node C′'s young-leak shape decides.
 */
final class RegrowthNode {

    /**
     * What node F established: whether the pattern is a leak's (go to G) or demand's (go to H).
     *
     * @param byResets the leak was decided by memory staying reset after kills under unchanged traffic ({@link RestartResets})
     */
    record Outcome(DecisionStep step, boolean leak, boolean byResets) {
    }

    private RegrowthNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, MemoryGrowth m, GrowthVsTrafficNode.Outcome e, DiagnosisThresholds t) {
        GrowthPattern growth = m.growth();
        RestartResets resets = m.resets();
        boolean anyRestart = !a.all().isEmpty();
        // Without a regrowth after a restart, growth with time in several segments still points to a
        // leak (replicas leaking from their own start), unless memory follows traffic: then a
        // restart refilled memory to the traffic's level at once, which is demand, not a leak.
        boolean bySegments = growth.leakLike() > 0 && growth.leakLike() >= growth.trafficDriven()
                && (growth.regrowths() > 0 || !anyRestart
                || (growth.leakLike() >= 2 && growth.trafficDriven() == 0 && !e.followsTraffic()));
        // Segments growing with traffic cannot tell traffic from time when both rise; the restarts
        // can: memory that stays at its baseline after a kill while traffic holds, then climbs
        // again, is not demand. They decide when more kills show that than a refill.
        boolean byResets = !bySegments && resets.heldResets() > 0 && resets.heldResets() > resets.refills();
        boolean leak = bySegments || byResets;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("regrowthsAfterRestart", growth.regrowths());
        f.put("segmentsGrowingWithTime", growth.leakLike());
        f.put("segmentsGrowingWithTraffic", growth.trafficDriven());
        f.put("resetsWhileTrafficHeld", resets.heldResets());
        f.put("refillsWhileTrafficHeld", resets.refills());
        f.put("medianMannKendallZ", Narrative.round(growth.medianZ()));
        f.put("medianKendallTau", Narrative.round(growth.medianTau()));
        f.put("growthBytesPerHour", Narrative.round(growth.growthBytesPerHour()));
        String answer;
        if (byResets) {
            answer = "Yes: after " + resets.heldResets() + " memory kill(s) memory stayed at its baseline for "
                    + (int) GrowthPattern.MIN_GROWTH_SPAN_MINUTES + " min although traffic held (within "
                    + Narrative.pct(t.minTrafficRise()) + " of its level before the kill), then climbed again (median Mann–Kendall Z "
                    + Narrative.num(resets.medianZ()) + "); after " + resets.refills() + " kill(s) memory refilled at once. "
                    + growth.trafficDriven() + " segment(s) grow with traffic, but traffic rose with time there and cannot tell them apart.";
        } else if (leak) {
            answer = "Yes: " + (growth.regrowths() > 0 ? "after " + growth.regrowths() + " restart(s) memory dropped and climbed again; "
                    : "no replica regrew after a restart, but memory does not follow traffic (Spearman ρ "
                    + Narrative.num(e.rho(), t.followsTrafficRho()) + " < " + t.followsTrafficRho() + ") and ") + growth.leakLike()
                    + " segment(s) grew steadily with time (median Mann–Kendall Z " + Narrative.num(growth.medianZ()) + ", about "
                    + Narrative.mib(growth.growthBytesPerHour()) + "/h) while traffic did not explain it.";
        } else {
            answer = "No: " + (growth.leakLike() == 0 ? "no segment grows steadily with time independent of traffic"
                    : growth.leakLike() + " segment(s) grow with time but " + growth.trafficDriven() + " grow with traffic and memory "
                    + (growth.regrowths() == 0 ? "never reset and regrew after a restart" : "regrowth is not the main pattern"))
                    + (resets.heldResets() + resets.refills() > 0 ? "; after " + resets.refills() + " memory kill(s) under unchanged traffic memory refilled at once ("
                    + resets.heldResets() + " stayed reset)" : "")
                    + "; memory follows demand or short spikes.";
        }
        return new Outcome(new DecisionStep("F", "Does memory reset after a restart and then grow again?", answer, f), leak, byResets);
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
        return new Outcome(step, leak, false);
    }
}
