package io.oomresponder.diagnosis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flowchart node B: what are the memory limit and the working set? Without a limit or without
 * {@link #MIN_WORKING_SET_SAMPLES} working-set samples growth toward the limit cannot be judged.
 */
final class WorkingSetNode {

    /** Fewer working-set samples than this cannot show a trend or a peak. */
    static final int MIN_WORKING_SET_SAMPLES = 10;
    /**
     * "Near the limit" for the app's peak working set and the time-above figure (step B and C). Not
     * {@link GrowthPattern#SEGMENT_END_NEAR_LIMIT_FRACTION}, which judges where one growing segment ends.
     */
    static final double PEAK_NEAR_LIMIT_FRACTION = 0.90;

    /**
     * What node B established.
     *
     * @param known        the limit is known and there are enough working-set samples to judge
     * @param peak         the highest working set of any replica (NaN without samples)
     * @param peakToLimit  peak / limit (NaN when not known)
     * @param aboveMinutes minutes some replica spent at or above {@link #PEAK_NEAR_LIMIT_FRACTION} of the limit
     */
    record Outcome(DecisionStep step, boolean known, double peak, double peakToLimit, int aboveMinutes) {
    }

    private WorkingSetNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, DiagnosisThresholds t) {
        AppTimelines app = a.app();
        Long limit = a.limit();
        int samples = app.replicas().stream().mapToInt(ReplicaTimeline::workingSetSamples).sum();
        double peak = Double.NaN;
        for (ReplicaTimeline r : app.replicas()) {
            double p = r.peak(0, app.grid().size());
            if (!Double.isNaN(p) && (Double.isNaN(peak) || p > peak)) {
                peak = p;
            }
        }
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("memoryLimitBytes", limit);
        b.put("workingSetSamples", samples);
        b.put("workingSetAggregation", app.workingSetAggregation());
        b.put("grainSeconds", app.grid().stepSeconds());
        if (samples < t.minWorkingSetSamples() || limit == null || limit <= 0) {
            String why = limit == null || limit <= 0 ? "the container's memory limit is unknown"
                    : samples == 0 ? "no WorkingSetBytes samples were gathered" : "only " + samples + " WorkingSetBytes samples";
            return new Outcome(new DecisionStep("B", "Are the memory limit and the working set known?", "No: " + why
                    + ", so growth toward the limit cannot be judged.", b), false, peak, Double.NaN, 0);
        }
        double peakToLimit = peak / limit;
        boolean[] anyAbove = new boolean[app.grid().size()];
        double threshold = PEAK_NEAR_LIMIT_FRACTION * limit;
        for (ReplicaTimeline r : app.replicas()) {
            double[] w = r.workingSetBytes();
            for (int i = 0; i < w.length; i++) {
                if (w[i] >= threshold) {
                    anyAbove[i] = true;
                }
            }
        }
        int above = 0;
        for (boolean x : anyAbove) {
            if (x) {
                above++;
            }
        }
        int aboveMinutes = (int) Math.round(above * app.grid().stepMinutes());
        b.put("peakWorkingSetBytes", Narrative.round(peak));
        b.put("peakToLimit", Narrative.round(peakToLimit));
        b.put("minutesAbove90PctOfLimit", aboveMinutes);
        ReplicaLimit replicaLimit = a.replicaLimit();
        DecisionStep step = new DecisionStep("B", "What are the memory limit and the working set?",
                "Limit " + Narrative.mib(limit) + (replicaLimit.containers() > 1 ? " (the sum of the replica's "
                        + replicaLimit.containers() + " containers)" : "")
                        + (app.workingSetAggregation() != null && app.workingSetAggregation().startsWith(AppTimelines.MEMORY_PERCENTAGE)
                        ? "; WorkingSetBytes is missing, so the working set is MemoryPercentage × the limit" : "")
                        + "; the highest working set of any replica was " + Narrative.mib(peak) + " ("
                        + Narrative.pct(peakToLimit) + " of the limit); some replica was above 90% of the limit for "
                        + aboveMinutes + " min.", b);
        return new Outcome(step, true, peak, peakToLimit, aboveMinutes);
    }
}
