package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What an on-call reader asks besides the verdict: is it still going on, and what did users feel?
 * Both come from the bundle alone, with the same timelines and restarts the flowchart uses. Null
 * means "not measured", never zero.
 *
 * @param now    the last samples: the working set against the limit, the last restart, replicas mid-growth
 * @param impact the Requests metric around the restarts: 5xx share before and during, requests missed while restarting
 */
public record IncidentState(Now now, Impact impact) {

    /** Minutes from a restart during which its replica's traffic counts as "while restarting". */
    public static final int RESTART_IMPACT_MINUTES = 3;
    /** Minutes before a restart window whose median app-wide requests are the traffic expected in it. */
    public static final int BASELINE_MINUTES = 10;
    /** A restart this recent, before the last sample, is "still happening". */
    public static final int RECENT_RESTART_MINUTES = 15;
    /** A working set at or above this share of the limit at the last sample is "still near the limit" (as step C's 90%). */
    public static final double STILL_NEAR_LIMIT = WorkingSetNode.PEAK_NEAR_LIMIT_FRACTION;
    /** Replicas whose last sample is this close to the newest one count as "now". */
    static final int NOW_TOLERANCE_MINUTES = 5;

    public IncidentState {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(impact, "impact");
    }

    /**
     * The last samples.
     *
     * @param lastSample        the newest working-set sample of any replica, or null without samples
     * @param workingSetToLimit the highest working set at that time (replicas sampled within
     *                          {@link #NOW_TOLERANCE_MINUTES} of it) over the limit, or null when unknown
     * @param lastRestart       the last restart in the window, or null when there was none
     * @param restartsKnown     false when no source of restarts answered (then "no restart" is not known)
     * @param replicasGrowing   replicas whose current segment (since their last restart) grows
     *                          significantly, or null when memory or the limit is unknown
     */
    public record Now(Instant lastSample, Double workingSetToLimit, Instant lastRestart, boolean restartsKnown, Integer replicasGrowing) {

        /** Minutes from the last restart to the last sample, or null. */
        public Long minutesSinceLastRestart() {
            return lastRestart == null || lastSample == null ? null : Math.max(0, Duration.between(lastRestart, lastSample).toMinutes());
        }

        /**
         * Yes when, at the last sample, the working set is at least {@link #STILL_NEAR_LIMIT} of the
         * limit, a restart came within {@link #RECENT_RESTART_MINUTES}, or a replica is mid-growth;
         * null when the working set at the end is unknown.
         */
        public Boolean stillHappening() {
            Long since = minutesSinceLastRestart();
            boolean recent = since != null && since <= RECENT_RESTART_MINUTES;
            if (workingSetToLimit == null) {
                return recent ? Boolean.TRUE : null;
            }
            return workingSetToLimit >= STILL_NEAR_LIMIT || recent || replicasGrowing != null && replicasGrowing > 0;
        }
    }

    /**
     * What users felt, from the Requests metric.
     *
     * @param serverErrorShareBefore share of requests answered 5xx before the first restart (outside restart minutes), or null
     * @param serverErrorShareDuring share answered 5xx in the minutes of restarts, or null
     * @param restartMinutes         minutes counted as "while restarting" ({@link #RESTART_IMPACT_MINUTES} per restart, merged)
     * @param requestsMissed         requests the app did not serve in those minutes against the {@link #BASELINE_MINUTES}
     *                               before, or null without a Requests metric
     * @param requestsExpected       the requests expected in those minutes from the same baseline, or null
     * @param statusSplitMeasured    true when Requests came split by statusCodeCategory
     */
    public record Impact(Double serverErrorShareBefore, Double serverErrorShareDuring, int restartMinutes, Double requestsMissed,
                         Double requestsExpected, boolean statusSplitMeasured) {
    }

    /** The state and impact of this bundle. */
    public static IncidentState of(EvidenceBundle bundle) {
        Objects.requireNonNull(bundle, "bundle");
        Long limit = ReplicaLimit.of(bundle).bytes();
        AppTimelines app = AppTimelines.from(bundle, limit);
        RestartEvents.Result restarts = RestartEvents.merge(app, bundle.systemLogs(), bundle.consoleLogs(), limit);
        List<RestartEvent> all = restarts.all();
        return new IncidentState(now(bundle, app, restarts, all, limit), impact(bundle, app, all));
    }

    private static Now now(EvidenceBundle bundle, AppTimelines app, RestartEvents.Result restarts, List<RestartEvent> all, Long limit) {
        int lastIndex = -1;
        for (ReplicaTimeline r : app.replicas()) {
            lastIndex = Math.max(lastIndex, last(r.workingSetBytes()));
        }
        Instant lastSample = lastIndex < 0 ? null : app.grid().time(lastIndex);
        Double toLimit = null;
        Integer growing = null;
        if (lastIndex >= 0 && limit != null && limit > 0) {
            int tolerance = Math.max(1, app.grid().buckets(NOW_TOLERANCE_MINUTES));
            double highest = Double.NaN;
            int g = 0;
            for (ReplicaTimeline r : app.replicas()) {
                int i = last(r.workingSetBytes());
                if (i < 0 || lastIndex - i > tolerance) {
                    continue;
                }
                double v = r.workingSetBytes()[i];
                highest = Double.isNaN(highest) ? v : Math.max(highest, v);
                List<MemorySegment> segs = MemorySegments.of(r, restarts.byReplica().getOrDefault(r.name(), List.of()), app.grid(), limit);
                if (!segs.isEmpty()) {
                    MemorySegment open = segs.get(segs.size() - 1);
                    if (!open.endsInRestart() && GrowthPattern.grows(open, DiagnosisThresholds.DEFAULTS)) {
                        g++;
                    }
                }
            }
            toLimit = Double.isNaN(highest) ? null : highest / limit;
            growing = g;
        }
        Instant lastRestart = all.isEmpty() ? null : all.get(all.size() - 1).time();
        boolean restartsKnown = RestartsNode.restartsKnown(bundle, app, all);
        return new Now(lastSample, toLimit, lastRestart, restartsKnown, growing);
    }

    private static Impact impact(EvidenceBundle bundle, AppTimelines app, List<RestartEvent> all) {
        int n = app.grid().size();
        boolean[] restarting = new boolean[n];
        int firstRestart = n;
        int span = Math.max(1, app.grid().buckets(RESTART_IMPACT_MINUTES));
        for (RestartEvent e : all) {
            int i = app.grid().index(e.time());
            if (i < 0) {
                continue;
            }
            firstRestart = Math.min(firstRestart, i);
            for (int k = i; k < Math.min(n, i + span); k++) {
                restarting[k] = true;
            }
        }
        int restartMinutes = 0;
        for (boolean b : restarting) {
            restartMinutes += b ? 1 : 0;
        }
        restartMinutes = (int) Math.round(restartMinutes * app.grid().stepMinutes());

        // The status split: app-wide series of Requests by statusCodeCategory.
        double[] errors = new double[n];
        double[] answered = new double[n];
        Arrays.fill(answered, Double.NaN);
        boolean split = false;
        for (MetricSeries s : bundle.series(AppTimelines.REQUESTS)) {
            String category = s.dimensions().get(AppTimelines.STATUS_CODE_CATEGORY);
            if (category == null || s.aggregation() != null && !s.aggregation().equalsIgnoreCase("Total")) {
                continue;
            }
            split = true;
            boolean serverError = category.trim().toLowerCase(Locale.ROOT).startsWith("5");
            for (int k = 0; k < s.size(); k++) {
                double v = s.value(k);
                int i = app.grid().index(s.epochSecond(k));
                if (v != v || i < 0) {
                    continue;
                }
                answered[i] = answered[i] != answered[i] ? v : answered[i] + v;
                if (serverError) {
                    errors[i] += v;
                }
            }
        }
        Double before = null;
        Double during = null;
        if (split) {
            double eb = 0, ab = 0, ed = 0, ad = 0;
            for (int i = 0; i < n; i++) {
                // A minute with a count in any category: a category without one served no request then.
                if (answered[i] != answered[i]) {
                    continue;
                }
                if (restarting[i]) {
                    ed += errors[i];
                    ad += answered[i];
                } else if (i < firstRestart) {
                    eb += errors[i];
                    ab += answered[i];
                }
            }
            before = ab > 0 ? eb / ab : null;
            during = ad > 0 ? ed / ad : null;
        }

        // Requests missed while restarting: the app's served requests against the minutes before.
        Double missed = null;
        Double expected = null;
        if (app.hasRequests() && restartMinutes > 0) {
            double[] total = new double[n];
            Arrays.fill(total, Double.NaN);
            for (ReplicaTimeline r : app.replicas()) {
                double[] q = r.requests();
                if (q == null) {
                    continue;
                }
                for (int i = 0; i < n && i < q.length; i++) {
                    if (q[i] == q[i]) {
                        total[i] = total[i] != total[i] ? q[i] : total[i] + q[i];
                    }
                }
            }
            double m = 0, x = 0;
            int measured = 0;
            int window = Math.max(1, app.grid().buckets(BASELINE_MINUTES));
            for (int i = 0; i < n; i++) {
                if (!restarting[i] || total[i] != total[i]) {
                    continue;
                }
                double[] base = new double[window];
                int b = 0;
                for (int k = i - 1; k >= 0 && b < window && k >= i - 4 * window; k--) {
                    if (!restarting[k] && total[k] == total[k]) {
                        base[b++] = total[k];
                    }
                }
                if (b == 0) {
                    continue;
                }
                double baseline = TrafficRelation.median(base, b);
                x += baseline;
                m += Math.max(0, baseline - total[i]);
                measured++;
            }
            if (measured > 0) {
                missed = m;
                expected = x;
            }
        }
        return new Impact(before, during, restartMinutes, missed, expected, split);
    }

    private static int last(double[] w) {
        for (int i = w.length - 1; i >= 0; i--) {
            if (w[i] == w[i]) {
                return i;
            }
        }
        return -1;
    }
}
