package io.oomresponder.diagnosis;

import java.util.Arrays;

/**
 * Signal: short memory spikes at a regular period over a flat baseline, the mark of a scheduled
 * job (batch export, cache rebuild) rather than of traffic or a leak.
 *
 * @param spikes spike onsets in the replica where the pattern is clearest
 * @param periodMinutes median minutes between onsets, NaN when none
 * @param intervalVariation coefficient of variation of the intervals (0 = perfectly regular), NaN when none
 * @param dutyShare share of the time spent above the spike threshold
 * @param baselineShare share of the samples within {@link #NEAR_BASELINE_SHARE} of the spike height from the median (a flat baseline)
 */
record PeriodicSpikes(int spikes, double periodMinutes, double intervalVariation, double dutyShare, double baselineShare) {

    /** At least this many onsets make a period. */
    static final int MIN_SPIKES = 3;
    /** Intervals varying by at most this coefficient of variation are regular. */
    static final double MAX_INTERVAL_VARIATION = 0.25;
    /** Spikes are short: at most this share of the time above the threshold. */
    static final double MAX_DUTY_SHARE = 0.35;
    /** Spikes stand on a flat baseline: at least this share of the samples sit near the median. */
    static final double MIN_BASELINE_SHARE = 0.5;
    /** A spike rises at least this share of the limit above the baseline. */
    static final double MIN_SPIKE_HEIGHT_TO_LIMIT = 0.20;

    static final PeriodicSpikes NONE = new PeriodicSpikes(0, Double.NaN, Double.NaN, 0, 0);

    /** Enough regular, short spikes over a flat baseline to be a schedule. */
    boolean periodic(DiagnosisThresholds t) {
        return spikes >= t.minSpikes() && intervalVariation <= t.maxIntervalVariation() && dutyShare <= t.maxDutyShare()
                && baselineShare >= t.minBaselineShare();
    }

    /** A spike rises abruptly: within this many minutes from near the baseline to the threshold. */
    static final double MAX_RISE_MINUTES = 15;
    /** "Near the baseline": within this share of the spike height above it. */
    static final double NEAR_BASELINE_SHARE = 0.25;
    /** Memory refilling this soon after a restart is not a new spike. */
    static final double AFTER_RESTART_MINUTES = 5;

    static PeriodicSpikes of(AppTimelines app, RestartEvents.Result restarts, double limitBytes, DiagnosisThresholds t) {
        PeriodicSpikes best = NONE;
        int after = app.grid().buckets(AFTER_RESTART_MINUTES);
        for (ReplicaTimeline r : app.replicas()) {
            boolean[] refill = new boolean[app.grid().size()];
            for (RestartEvent e : restarts.byReplica().getOrDefault(r.name(), java.util.List.of())) {
                // The restart's own bucket can hold the onset of the spike that killed it; only later ones are refill.
                for (int i = e.index() + 1; i <= Math.min(refill.length - 1, e.index() + after); i++) {
                    refill[i] = true;
                }
            }
            PeriodicSpikes p = of(r.workingSetBytes(), refill, app.grid().stepMinutes(), limitBytes, t);
            if (p.periodic(t) && (!best.periodic(t) || p.intervalVariation() < best.intervalVariation())) {
                best = p;
            } else if (!best.periodic(t) && p.spikes() > best.spikes()) {
                best = p;
            }
        }
        return best;
    }

    /** Spikes of one series; onsets inside {@code refill} (just after a restart) do not count. */
    static PeriodicSpikes of(double[] ws, boolean[] refill, double stepMinutes, double limitBytes, DiagnosisThresholds t) {
        double[] c = new double[ws.length];
        int n = 0;
        double max = Double.NaN;
        for (double v : ws) {
            if (!Double.isNaN(v)) {
                c[n++] = v;
                max = Double.isNaN(max) ? v : Math.max(max, v);
            }
        }
        if (n < 10) {
            return NONE;
        }
        Arrays.sort(c, 0, n);
        double baseline = c[n / 2];
        if (max - baseline < t.minSpikeHeightToLimit() * limitBytes) {
            return NONE;
        }
        double threshold = baseline + (max - baseline) / 2;
        double nearBaseline = baseline + NEAR_BASELINE_SHARE * (max - baseline);
        int riseBuckets = Math.max(1, (int) Math.round(MAX_RISE_MINUTES / stepMinutes));
        int onsets = 0;
        int above = 0;
        int[] at = new int[16];
        boolean wasAbove = false;
        boolean seen = false;
        for (int i = 0; i < ws.length; i++) {
            if (Double.isNaN(ws[i])) {
                continue;
            }
            boolean isAbove = ws[i] >= threshold;
            if (isAbove) {
                above++;
            }
            if (isAbove && !wasAbove && seen && (refill == null || !refill[i]) && roseFrom(ws, i, riseBuckets, nearBaseline)) {
                if (onsets == at.length) {
                    at = Arrays.copyOf(at, onsets * 2);
                }
                at[onsets++] = i;
            }
            wasAbove = isAbove;
            seen = true;
        }
        double duty = above / (double) n;
        double band = NEAR_BASELINE_SHARE * (max - baseline);
        int flat = 0;
        for (int i = 0; i < n; i++) {
            if (Math.abs(c[i] - baseline) <= band) {
                flat++;
            }
        }
        double flatShare = flat / (double) n;

        if (onsets < 2) {
            return new PeriodicSpikes(onsets, Double.NaN, Double.NaN, duty, flatShare);
        }
        double[] gaps = new double[onsets - 1];
        double mean = 0;
        for (int i = 1; i < onsets; i++) {
            gaps[i - 1] = (at[i] - at[i - 1]) * stepMinutes;
            mean += gaps[i - 1];
        }
        mean /= gaps.length;
        double var = 0;
        for (double g : gaps) {
            var += (g - mean) * (g - mean);
        }
        double cv = gaps.length < 2 ? Double.NaN : Math.sqrt(var / (gaps.length - 1)) / mean;
        return new PeriodicSpikes(onsets, TrafficRelation.median(gaps, gaps.length), cv, duty, flatShare);
    }

    /** Whether some sample in the buckets before {@code i} was near the baseline: an abrupt rise, not a slow climb. */
    private static boolean roseFrom(double[] ws, int i, int buckets, double nearBaseline) {
        for (int j = Math.max(0, i - buckets); j < i; j++) {
            if (!Double.isNaN(ws[j]) && ws[j] <= nearBaseline) {
                return true;
            }
        }
        return false;
    }
}
