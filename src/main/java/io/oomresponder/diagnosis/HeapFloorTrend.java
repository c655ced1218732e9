package io.oomresponder.diagnosis;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Whether the heap left in use after collections rises toward the heap limit: a heap leak. The
 * floor of each replica's heap (the minimum of heap used per bucket, then the minimum of each
 * {@link #BLOCK_MINUTES}-minute block, so the collection sawtooth is gone) is tested between
 * restarts with {@link RobustTrend}: a segment leaks when its Mann–Kendall Z reaches
 * {@link GrowthPattern#Z_RISING} and the floor rose by at least {@link #MIN_RISE_SHARE} of the heap
 * limit. The heap's exhaustion is projected from the latest leaking segment that is still open (no
 * restart after it): where its Theil–Sen line meets the heap limit, with the slope's 95% interval
 * giving the range. Collections per minute and their milliseconds per minute in the first and the
 * last third of that segment show whether the collector works harder as the heap fills.
 *
 * @param replicasLeaking     replicas with at least one leaking segment
 * @param segmentsMeasured    segments long enough to test
 * @param replica             the replica the figures below are of (the most advanced leak), or null
 * @param floorStartBytes     the fitted floor at the start of that segment
 * @param floorEndBytes       the fitted floor at its end
 * @param heapLimitBytes      the heap limit (JvmMemoryTotalLimit, heap)
 * @param slopeBytesPerHour   the floor's Theil–Sen slope
 * @param mannKendallZ        its Mann–Kendall Z
 * @param exhaustionEarliest  projected time the floor reaches the heap limit, at the slope's upper bound; null when not projected
 * @param exhaustionExpected  the same at the Theil–Sen slope; null when not projected
 * @param exhaustionLatest    the same at the slope's lower bound (null when that bound is not rising)
 * @param projectedFrom       the last floor sample the projection starts from, or null
 * @param gcStart             collections per minute in the first third of the segment (NaN unknown)
 * @param gcEnd               collections per minute in the last third
 * @param gcMillisStart       collection milliseconds per minute in the first third
 * @param gcMillisEnd         collection milliseconds per minute in the last third
 */
record HeapFloorTrend(int replicasLeaking, int segmentsMeasured, String replica, double floorStartBytes, double floorEndBytes,
                      double heapLimitBytes, double slopeBytesPerHour, double mannKendallZ, Instant exhaustionEarliest,
                      Instant exhaustionExpected, Instant exhaustionLatest, Instant projectedFrom, double gcStart, double gcEnd, double gcMillisStart, double gcMillisEnd) {

    /** The floor must rise by this share of the heap limit within a segment to be a leak. */
    static final double MIN_RISE_SHARE = 0.10;
    /** Blocks whose minimum is the floor: longer than the collection sawtooth of a busy JVM. */
    static final double BLOCK_MINUTES = 10;
    /** Collections per minute rising by this factor (end third against start third) count as rising. */
    static final double GC_RISING_FACTOR = 1.25;

    static final HeapFloorTrend NONE = new HeapFloorTrend(0, 0, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            null, null, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    boolean leaking() {
        return replicasLeaking > 0;
    }

    /** The floor at the end as a share of the heap limit. */
    double floorEndToLimit() {
        return floorEndBytes / heapLimitBytes;
    }

    boolean gcRising() {
        return gcEnd == gcEnd && gcStart == gcStart && gcEnd >= GC_RISING_FACTOR * Math.max(gcStart, 1e-9);
    }

    boolean gcMillisRising() {
        return gcMillisEnd == gcMillisEnd && gcMillisStart == gcMillisStart && gcMillisEnd >= GC_RISING_FACTOR * Math.max(gcMillisStart, 1e-9);
    }

    /**
     * @param restartIndex per replica, the grid buckets where it restarted (segment boundaries)
     */
    static HeapFloorTrend of(JvmTimelines jvm, Map<String, List<Integer>> restartIndex) {
        EvidenceGrid grid = jvm.grid();
        int measured = 0;
        int leakingReplicas = 0;
        HeapFloorTrend best = NONE;
        boolean bestOpen = false;
        for (JvmTimelines.Replica r : jvm.replicas()) {
            double limit = r.heapLimitBytes();
            if (r.heapFloor() == null || !(limit > 0)) {
                continue;
            }
            boolean replicaLeaks = false;
            List<int[]> segments = JvmSegments.of(r.heapFloor(), restartIndex.getOrDefault(r.name(), List.of()));
            for (int s = 0; s < segments.size(); s++) {
                int from = segments.get(s)[0];
                int to = segments.get(s)[1];
                RobustTrend t = JvmSegments.floorTrend(r.heapFloor(), from, to, grid, BLOCK_MINUTES);
                if (!t.known()) {
                    continue;
                }
                measured++;
                double rise = t.slopePerMinute() * t.spanMinutes();
                if (!(t.mannKendallZ() >= GrowthPattern.Z_RISING && rise >= MIN_RISE_SHARE * limit)) {
                    continue;
                }
                replicaLeaks = true;
                boolean open = s == segments.size() - 1;
                int last = JvmSegments.lastSample(r.heapFloor(), from, to);
                int first = JvmSegments.firstSample(r.heapFloor(), from, to);
                double endMinute = last * grid.stepMinutes();
                double floorEnd = Math.min(limit, t.fittedAt(endMinute));
                double floorStart = t.fittedAt(first * grid.stepMinutes());
                Instant early = null;
                Instant expected = null;
                Instant late = null;
                Instant end = open ? grid.time(last) : null;
                if (open) {
                    early = projected(end, limit - floorEnd, t.slopeHighPerMinute());
                    expected = projected(end, limit - floorEnd, t.slopePerMinute());
                    late = projected(end, limit - floorEnd, t.slopeLowPerMinute());
                }
                int third = Math.max(1, (last - first + 1) / 3);
                HeapFloorTrend candidate = new HeapFloorTrend(0, 0, r.name(), floorStart, floorEnd, limit, t.slopePerMinute() * 60,
                        t.mannKendallZ(), early, expected, late, end,
                        perMinute(r.gcCount(), first, first + third, grid), perMinute(r.gcCount(), last - third + 1, last + 1, grid),
                        perMinute(r.gcMillis(), first, first + third, grid), perMinute(r.gcMillis(), last - third + 1, last + 1, grid));
                boolean better = best.replica() == null || (open && !bestOpen)
                        || (open == bestOpen && candidate.floorEndToLimit() > best.floorEndToLimit());
                if (better) {
                    best = candidate;
                    bestOpen = open;
                }
            }
            if (replicaLeaks) {
                leakingReplicas++;
            }
        }
        return new HeapFloorTrend(leakingReplicas, measured, best.replica(), best.floorStartBytes(), best.floorEndBytes(),
                best.heapLimitBytes(), best.slopeBytesPerHour(), best.mannKendallZ(), best.exhaustionEarliest(),
                best.exhaustionExpected(), best.exhaustionLatest(), best.projectedFrom(), best.gcStart(), best.gcEnd(), best.gcMillisStart(), best.gcMillisEnd());
    }

    private static Instant projected(Instant from, double room, double slopePerMinute) {
        if (!(slopePerMinute > 0) || room != room) {
            return null;
        }
        double minutes = Math.max(0, room) / slopePerMinute;
        return minutes > 60 * 24 * 365 ? null : from.plusSeconds(Math.round(minutes * 60));
    }

    /** Mean per minute of a per-bucket count over [from, to), NaN when absent. */
    static double perMinute(double[] a, int from, int to, EvidenceGrid grid) {
        if (a == null) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(a.length, to); i++) {
            if (a[i] == a[i]) {
                sum += a[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n / grid.stepMinutes();
    }
}
