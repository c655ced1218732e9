package io.oomresponder.diagnosis;

import java.time.Instant;

/**
 * Signal: the daily crests of memory, for an early warning on memory that follows a daily traffic
 * cycle. The window is cut into whole days counted back from its end; each day's highest working
 * set (over all replicas) is a crest. The next crest is projected one day after the last one, at
 * the last crest plus the median day-over-day change of the crests (the fitted daily trend, not
 * the last sample); the range spans the smallest and largest day-over-day change seen.
 *
 * @param days whole days in the window (crests measured)
 * @param lastCrestToLimit the last day's crest / limit
 * @param lastCrestAt when the last crest was
 * @param changePerDayToLimit median day-over-day change of the crests / limit (NaN with fewer than two days)
 * @param nextCrestAt the projected time of the next crest (null with less than a day of data)
 * @param nextCrestToLimit the projected next crest / limit (NaN when unknown)
 * @param nextCrestLowToLimit lower end of the projected crest / limit
 * @param nextCrestHighToLimit upper end of the projected crest / limit
 */
record DailyPeaks(int days, double lastCrestToLimit, Instant lastCrestAt, double changePerDayToLimit, Instant nextCrestAt,
                  double nextCrestToLimit, double nextCrestLowToLimit, double nextCrestHighToLimit) {

    static final int DAY_MINUTES = 24 * 60;

    static DailyPeaks of(AppTimelines app, double limitBytes) {
        EvidenceGrid grid = app.grid();
        int perDay = grid.buckets(DAY_MINUTES);
        int days = grid.size() / perDay;
        if (days < 1) {
            return new DailyPeaks(0, Double.NaN, null, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] crest = new double[days];
        int[] crestAt = new int[days];
        for (int d = 0; d < days; d++) {
            int to = grid.size() - (days - 1 - d) * perDay;
            int from = to - perDay;
            crest[d] = Double.NaN;
            for (ReplicaTimeline r : app.replicas()) {
                double[] w = r.workingSetBytes();
                for (int i = from; i < to; i++) {
                    if (!Double.isNaN(w[i]) && (Double.isNaN(crest[d]) || w[i] > crest[d])) {
                        crest[d] = w[i];
                        crestAt[d] = i;
                    }
                }
            }
        }
        double last = crest[days - 1] / limitBytes;
        Instant lastAt = grid.time(crestAt[days - 1]);
        double[] changes = new double[Math.max(0, days - 1)];
        int n = 0;
        for (int d = 1; d < days; d++) {
            if (!Double.isNaN(crest[d]) && !Double.isNaN(crest[d - 1])) {
                changes[n++] = (crest[d] - crest[d - 1]) / limitBytes;
            }
        }
        double change = TrafficRelation.median(changes, n);
        double lo = 0;
        double hi = 0;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, changes[i]);
            hi = Math.max(hi, changes[i]);
        }
        double next = last + (Double.isNaN(change) ? 0 : change);
        return new DailyPeaks(days, last, lastAt, change, lastAt.plusSeconds(DAY_MINUTES * 60L), next, last + lo, last + hi);
    }
}
