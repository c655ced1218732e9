package io.oomresponder.diagnosis;

/**
 * Whether the heap is sized past the container: the heap limit plus the non-heap memory the JVM
 * committed plus its buffers (the highest of each seen on any replica) exceeds the container's
 * memory limit. Then the kernel kills the process when the heap grows into what it is allowed,
 * however healthy the heap is. The advised {@code -XX:MaxRAMPercentage} leaves room for non-heap,
 * buffers and {@link #HEADROOM_SHARE} of the limit (at least {@link #MIN_HEADROOM_BYTES}) for
 * thread stacks and the JVM's own native memory.
 *
 * @param heapLimitBytes        the heap limit (JvmMemoryTotalLimit, heap)
 * @param nonHeapCommittedBytes highest non-heap committed (JvmMemoryTotalCommitted, non-heap)
 * @param buffersBytes          highest buffer memory (JvmBufferMemoryUsage)
 * @param containerLimitBytes   the Java container's memory limit
 * @param advisedPercent        a MaxRAMPercentage that fits (whole percent), or -1 when none is sane
 */
record HeapSizing(double heapLimitBytes, double nonHeapCommittedBytes, double buffersBytes, double containerLimitBytes,
                  int advisedPercent) {

    static final double HEADROOM_SHARE = 0.10;
    static final double MIN_HEADROOM_BYTES = 64.0 * (1 << 20);
    /** Below this the advice is not a heap size but more memory. */
    static final int MIN_ADVISED_PERCENT = 25;

    /** The JVM's needs as the metrics show them: heap limit + non-heap committed + buffers. */
    double jvmBytes() {
        return heapLimitBytes + zeroIfNaN(nonHeapCommittedBytes) + zeroIfNaN(buffersBytes);
    }

    boolean known() {
        return heapLimitBytes > 0 && containerLimitBytes > 0;
    }

    boolean pastContainer() {
        return known() && jvmBytes() > containerLimitBytes;
    }

    double heapToContainer() {
        return heapLimitBytes / containerLimitBytes;
    }

    /** The heap -Xmx that the advised percentage gives, in bytes. */
    double advisedHeapBytes() {
        return advisedPercent < 0 ? Double.NaN : containerLimitBytes * advisedPercent / 100.0;
    }

    static HeapSizing of(JvmTimelines jvm, long containerLimit) {
        double heap = Double.NaN;
        double nonHeap = Double.NaN;
        double buffers = Double.NaN;
        for (JvmTimelines.Replica r : jvm.replicas()) {
            heap = max(heap, r.heapLimitBytes());
            if (r.nonHeapCommitted() != null) {
                nonHeap = max(nonHeap, JvmTimelines.Replica.max(r.nonHeapCommitted()));
            }
            if (r.buffers() != null) {
                buffers = max(buffers, JvmTimelines.Replica.max(r.buffers()));
            }
        }
        double headroom = Math.max(MIN_HEADROOM_BYTES, HEADROOM_SHARE * containerLimit);
        int percent = (int) Math.floor(100 * (containerLimit - zeroIfNaN(nonHeap) - zeroIfNaN(buffers) - headroom) / containerLimit);
        return new HeapSizing(heap, nonHeap, buffers, containerLimit, percent >= MIN_ADVISED_PERCENT ? Math.min(90, percent) : -1);
    }

    private static double max(double a, double b) {
        return a != a ? b : b != b ? a : Math.max(a, b);
    }

    private static double zeroIfNaN(double v) {
        return v == v ? v : 0;
    }
}
