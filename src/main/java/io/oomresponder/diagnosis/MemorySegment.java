package io.oomresponder.diagnosis;

/**
 * The working set of one replica between two restarts (or a window edge), with its robust trend
 * and its relation to traffic.
 *
 * @param replica the replica
 * @param from first bucket (inclusive)
 * @param to last bucket (exclusive)
 * @param startsAfterRestart true when a restart opened this segment (false: the window's start)
 * @param end the restart that closed it, or null when it runs to the window's end
 * @param trend Theil–Sen / Mann–Kendall trend of the working set, in bytes per minute
 * @param startLevelToLimit working set near the start / limit (median of the first samples)
 * @param endLevelToLimit highest working set near the end / limit
 * @param riseToLimit Theil–Sen slope × span / limit: how much of the limit the trend climbed
 * @param trafficTrend the trend of requests in the segment, or {@link RobustTrend#NONE}
 * @param rhoTraffic Spearman of working set with requests, NaN without requests
 * @param partialTimeGivenTraffic partial rank correlation of working set with time, traffic held fixed
 * @param trafficMedian median requests per bucket in the segment, NaN without requests
 * @param partialTrafficGivenTime partial rank correlation of working set with requests, time held fixed:
 *        does memory follow traffic's ups and downs beyond the trend? NaN without requests
 * @param pairedPoints points (bucket means) with both memory and requests
 * @param halfwayRiseShare share of the segment's rise already reached halfway through it (a steady
 *        climb is near 0.5; a flat stretch followed by a late ramp is near 0), NaN when it did not rise
 */
record MemorySegment(String replica, int from, int to, boolean startsAfterRestart, RestartEvent end,
                     RobustTrend trend, double startLevelToLimit, double endLevelToLimit, double riseToLimit,
                     RobustTrend trafficTrend, double rhoTraffic, double partialTimeGivenTraffic,
                     double trafficMedian, double partialTrafficGivenTime, int pairedPoints,
                     double halfwayRiseShare) {

    boolean endsInRestart() {
        return end != null;
    }
}
