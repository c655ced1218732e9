package io.oomresponder.diagnosis;

import java.util.List;
import java.util.Map;

/**
 * Whether memory outside the heap grows: the working set minus the committed heap rises (Mann–Kendall
 * Z ≥ {@link GrowthPattern#Z_RISING}, by at least {@link #MIN_RISE_SHARE} of the container limit
 * within a segment between restarts) while the heap's floor does not (it rises by less than
 * {@link #HEAP_FLAT_SHARE} of the heap limit). Committed heap is taken out first, so a heap that
 * only expands toward its limit is not off-heap growth. The part that grows is named from the
 * JVM's series: direct/mapped buffers, metaspace (with compressed class space) or code cache when
 * its rise is at least {@link #PART_SHARE} of the rise outside the heap; threads when their count
 * grows by half or more (their stacks are outside every pool); otherwise native memory the JVM's
 * metrics do not show.
 *
 * @param replicasGrowing     replicas with a segment whose memory outside the heap grows
 * @param replica             the replica the figures are of (largest rise), or null
 * @param part                what grows
 * @param outsideHeapRiseBytes rise of working set minus committed heap in that segment
 * @param spanMinutes         the segment's measured span
 * @param partRiseBytes       rise of the named part (bytes; NaN for threads and native)
 * @param threadsStart        fitted thread count at the segment's start (NaN unknown)
 * @param threadsEnd          fitted thread count at its end
 * @param heapFloorRiseBytes  rise of the heap's floor in the same segment
 */
record OffHeapGrowth(int replicasGrowing, String replica, Part part, double outsideHeapRiseBytes, double spanMinutes,
                     double partRiseBytes, double threadsStart, double threadsEnd, double heapFloorRiseBytes) {

    static final double MIN_RISE_SHARE = 0.10;
    static final double HEAP_FLAT_SHARE = 0.05;
    static final double PART_SHARE = 0.30;
    /** Threads growing by this factor are named when no pool explains the growth. */
    static final double THREADS_FACTOR = 1.5;

    /** The part outside the heap that grows. */
    enum Part {
        DIRECT_BUFFERS("direct buffers (JvmBufferMemoryUsage)"),
        THREADS("threads (JvmThreadCount)"),
        METASPACE("metaspace (JvmMemoryUsed, Metaspace pools)"),
        CODE_CACHE("code cache (JvmMemoryUsed, code cache pools)"),
        NATIVE("native memory outside the JVM's pools, buffers and threads");

        private final String words;

        Part(String words) {
            this.words = words;
        }

        String words() {
            return words;
        }
    }

    static final OffHeapGrowth NONE = new OffHeapGrowth(0, null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    boolean growing() {
        return replicasGrowing > 0;
    }

    static OffHeapGrowth of(JvmTimelines jvm, AppTimelines app, long containerLimit, Map<String, List<Integer>> restartIndex) {
        EvidenceGrid grid = jvm.grid();
        int growing = 0;
        OffHeapGrowth best = NONE;
        for (JvmTimelines.Replica r : jvm.replicas()) {
            ReplicaTimeline ws = app.replicas().stream().filter(t -> t.name().equals(r.name())).findFirst().orElse(null);
            if (ws == null || r.heapCommitted() == null || ws.workingSetBytes().length != r.heapCommitted().length) {
                continue;
            }
            double[] outside = new double[grid.size()];
            for (int i = 0; i < outside.length; i++) {
                outside[i] = ws.workingSetBytes()[i] - r.heapCommitted()[i];
            }
            boolean replicaGrows = false;
            for (int[] seg : JvmSegments.of(outside, restartIndex.getOrDefault(r.name(), List.of()))) {
                RobustTrend t = RobustTrend.of(outside, seg[0], seg[1], grid.stepMinutes());
                if (!t.known()) {
                    continue;
                }
                double rise = t.slopePerMinute() * t.spanMinutes();
                double heapRise = r.heapFloor() == null ? Double.NaN
                        : JvmSegments.floorTrend(r.heapFloor(), seg[0], seg[1], grid, HeapFloorTrend.BLOCK_MINUTES).slopePerMinute()
                        * t.spanMinutes();
                boolean heapFlat = !(heapRise >= HEAP_FLAT_SHARE * r.heapLimitBytes());
                if (!(t.mannKendallZ() >= GrowthPattern.Z_RISING && rise >= MIN_RISE_SHARE * containerLimit && heapFlat)) {
                    continue;
                }
                replicaGrows = true;
                if (best.replica() != null && rise <= best.outsideHeapRiseBytes()) {
                    continue;
                }
                double buffers = JvmSegments.rise(r.buffers(), seg[0], seg[1], grid);
                double metaspace = JvmSegments.rise(r.metaspace(), seg[0], seg[1], grid);
                double code = JvmSegments.rise(r.codeCache(), seg[0], seg[1], grid);
                Part part = null;
                double partRise = Double.NaN;
                double top = PART_SHARE * rise;
                for (Object[] c : new Object[][]{{Part.DIRECT_BUFFERS, buffers}, {Part.METASPACE, metaspace}, {Part.CODE_CACHE, code}}) {
                    double v = (Double) c[1];
                    if (v >= top) {
                        top = v;
                        part = (Part) c[0];
                        partRise = v;
                    }
                }
                double threadsStart = Double.NaN;
                double threadsEnd = Double.NaN;
                if (r.threads() != null) {
                    RobustTrend th = RobustTrend.of(r.threads(), seg[0], seg[1], grid.stepMinutes());
                    if (th.known()) {
                        int first = JvmSegments.firstSample(r.threads(), seg[0], seg[1]);
                        int last = JvmSegments.lastSample(r.threads(), seg[0], seg[1]);
                        threadsStart = th.fittedAt(first * grid.stepMinutes());
                        threadsEnd = th.fittedAt(last * grid.stepMinutes());
                    }
                }
                if (part == null) {
                    part = threadsEnd >= THREADS_FACTOR * threadsStart && threadsStart > 0 ? Part.THREADS : Part.NATIVE;
                }
                best = new OffHeapGrowth(0, r.name(), part, rise, t.spanMinutes(), partRise, threadsStart, threadsEnd, heapRise);
            }
            if (replicaGrows) {
                growing++;
            }
        }
        return new OffHeapGrowth(growing, best.replica(), best.part(), best.outsideHeapRiseBytes(), best.spanMinutes(),
                best.partRiseBytes(), best.threadsStart(), best.threadsEnd(), best.heapFloorRiseBytes());
    }
}
