package io.oomresponder.diagnosis;

/**
 * Whether the heap is sized past the container: the heap limit plus the non-heap memory the JVM
 * committed plus its buffers exceeds the container's memory limit. Non-heap and buffers are taken
 * at their median over every replica's samples: the JVM's usual needs, so memory that leaks
 * outside the heap ({@link OffHeapGrowth}) does not read as a heap sized too large. Then the kernel kills the process when the heap grows into what it is allowed,
 * however healthy the heap is. The advised {@code -XX:MaxRAMPercentage} leaves room for non-heap,
 * buffers and {@link #HEADROOM_SHARE} of the limit (at least {@link #MIN_HEADROOM_BYTES}) for
 * thread stacks and the JVM's own native memory.
 *
 * @param heapLimitBytes        the heap limit (JvmMemoryTotalLimit, heap)
 * @param nonHeapCommittedBytes median non-heap committed (JvmMemoryTotalCommitted, non-heap)
 * @param buffersBytes          median buffer memory (JvmBufferMemoryUsage)
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
        java.util.List<double[]> nonHeapSeries = new java.util.ArrayList<>();
        java.util.List<double[]> bufferSeries = new java.util.ArrayList<>();
        for (JvmTimelines.Replica r : jvm.replicas()) {
            heap = max(heap, r.heapLimitBytes());
            if (r.nonHeapCommitted() != null) {
                nonHeapSeries.add(r.nonHeapCommitted());
            }
            if (r.buffers() != null) {
                bufferSeries.add(r.buffers());
            }
        }
        double nonHeap = median(nonHeapSeries);
        double buffers = median(bufferSeries);
        double headroom = Math.max(MIN_HEADROOM_BYTES, HEADROOM_SHARE * containerLimit);
        int percent = (int) Math.floor(100 * (containerLimit - zeroIfNaN(nonHeap) - zeroIfNaN(buffers) - headroom) / containerLimit);
        return new HeapSizing(heap, nonHeap, buffers, containerLimit, percent >= MIN_ADVISED_PERCENT ? Math.min(90, percent) : -1);
    }

    /** Median of every present sample of the series, NaN when there is none. */
    static double median(java.util.List<double[]> series) {
        int n = 0;
        for (double[] a : series) {
            for (double v : a) {
                if (v == v) {
                    n++;
                }
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double[] all = new double[n];
        int k = 0;
        for (double[] a : series) {
            for (double v : a) {
                if (v == v) {
                    all[k++] = v;
                }
            }
        }
        java.util.Arrays.sort(all);
        return n % 2 == 1 ? all[n / 2] : (all[n / 2 - 1] + all[n / 2]) / 2;
    }

    private static double max(double a, double b) {
        return a != a ? b : b != b ? a : Math.max(a, b);
    }

    private static double zeroIfNaN(double v) {
        return v == v ? v : 0;
    }
}
