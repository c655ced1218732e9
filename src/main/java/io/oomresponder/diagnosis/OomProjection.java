package io.oomresponder.diagnosis;

import java.time.Instant;

/**
 * Projection for a leak: when the replicas that are running now reach the limit if memory keeps
 * growing along the fitted Theil–Sen trend (from the trend line's level at the last sample, not the
 * last sample). The range comes from the slope's 95% confidence interval, whose Mann–Kendall
 * variance carries the Hamed–Rao autocorrelation correction ({@link RobustTrend}), widened to the slopes of the same replica's earlier growing segments (a leak's rate
 * varies from one process lifetime to the next): steeper slope earliest, shallower latest, taken
 * for the replica that gets there first.
 *
 * @param replica the replica projected to hit the limit first
 * @param earliest earliest expected OOM
 * @param expected at the median slope
 * @param latest latest expected OOM (null when the lower slope is not positive: no upper bound)
 * @param from the last sample the projection starts from
 * @param slopeBytesPerMinute the median (Theil–Sen) growth of that replica, bytes per minute
 * @param fillMinutes how long a fresh process of that replica takes from its start level to the limit at that growth
 */
record OomProjection(String replica, Instant earliest, Instant expected, Instant latest, Instant from, double slopeBytesPerMinute,
                     double fillMinutes) {

    /** Minutes from the last sample to the expected OOM (0 when overdue). */
    double minutesToExpected() {
        return Math.max(0, java.time.Duration.between(from, expected).getSeconds() / 60.0);
    }

    /** Projections further out than this are not worth stating. */
    static final double MAX_HORIZON_MINUTES = 30 * 24 * 60;

    /**
     * The projection from the open (last) segments, or null when none grows; each replica's slope
     * range is widened with its earlier growing segments ({@code earlier}, may be empty).
     */
    static OomProjection of(AppTimelines app, java.util.List<MemorySegment> openSegments, java.util.List<MemorySegment> earlier,
                            double limitBytes) {
        OomProjection best = null;
        for (MemorySegment s : openSegments) {
            RobustTrend t = s.trend();
            if (!t.known() || t.slopePerMinute() <= 0) {
                continue;
            }
            ReplicaTimeline r = app.replicas().stream().filter(x -> x.name().equals(s.replica())).findFirst().orElse(null);
            if (r == null) {
                continue;
            }
            int last = -1;
            for (int i = s.to() - 1; i >= s.from(); i--) {
                if (!Double.isNaN(r.workingSetBytes()[i])) {
                    last = i;
                    break;
                }
            }
            if (last < 0) {
                continue;
            }
            // Project from the fitted trend line at the last sample, not the noisy last sample itself.
            double level = Math.max(t.fittedAt(last * app.grid().stepMinutes()), 0);
            double remaining = limitBytes - level;
            Instant from = app.grid().time(last);
            double startLevel = Math.max(t.fittedAt(s.from() * app.grid().stepMinutes()), 0);
            double fill = t.slopePerMinute() > 0 ? Math.max(0, limitBytes - startLevel) / t.slopePerMinute() : Double.NaN;
            if (remaining <= 0) {
                OomProjection p = new OomProjection(s.replica(), from, from, from, from, t.slopePerMinute(), fill);
                if (best == null || p.expected().isBefore(best.expected())) {
                    best = p;
                }
                continue;
            }
            double fast = t.slopeHighPerMinute();
            double slow = t.slopeLowPerMinute();
            for (MemorySegment e : earlier) {
                if (e.replica().equals(s.replica()) && e.trend().known() && e.trend().slopePerMinute() > 0) {
                    fast = Math.max(fast, e.trend().slopePerMinute());
                    slow = Math.min(slow, e.trend().slopePerMinute());
                }
            }
            double mid = remaining / t.slopePerMinute();
            if (mid > MAX_HORIZON_MINUTES) {
                continue;
            }
            double hi = fast > 0 ? remaining / fast : mid;
            Instant latest = slow > 0 && remaining / slow <= MAX_HORIZON_MINUTES
                    ? from.plusSeconds((long) (remaining / slow * 60)) : null;
            OomProjection p = new OomProjection(s.replica(), from.plusSeconds((long) (Math.min(hi, mid) * 60)),
                    from.plusSeconds((long) (mid * 60)), latest == null || latest.isAfter(from.plusSeconds((long) (mid * 60)))
                    ? latest : from.plusSeconds((long) (mid * 60)), from, t.slopePerMinute(), fill);
            if (best == null || p.expected().isBefore(best.expected())) {
                best = p;
            }
        }
        return best;
    }
}
