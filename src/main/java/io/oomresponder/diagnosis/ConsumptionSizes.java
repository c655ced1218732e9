package io.oomresponder.diagnosis;

/**
 * The CPU/memory pairs a Consumption-plan container may have (0.25 vCPU / 0.5 GiB up to
 * 4 vCPU / 8 GiB, memory always twice the cores), and the next one up.
 */
final class ConsumptionSizes {

    /** Cores of the valid pairs; memory in GiB is twice the cores. */
    static final double[] CORES = {0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0};
    static final long BYTES_PER_GIB = 1L << 30;

    private ConsumptionSizes() {
    }

    /** A pair: cores and memory in GiB. */
    record Size(double cpu, double memoryGib) {
        String cpuText() {
            return trim(cpu);
        }

        String memoryText() {
            return trim(memoryGib) + "Gi";
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    /** Bytes as an ARM quantity in Gi, e.g. "1.5Gi". */
    static String gi(long bytes) {
        return Size.trim(Math.round(bytes * 100.0 / BYTES_PER_GIB) / 100.0) + "Gi";
    }

    /**
     * The smallest pair whose memory is above {@code currentMemoryBytes} and at least
     * {@code neededBytes}, and whose cores are not below {@code currentCpu}; null when nothing in
     * the Consumption plan is big enough (then a dedicated workload profile is needed).
     */
    static Size nextAbove(long currentMemoryBytes, double currentCpu, double neededBytes) {
        for (double c : CORES) {
            double memBytes = 2 * c * BYTES_PER_GIB;
            if (memBytes > currentMemoryBytes && memBytes >= neededBytes && c >= currentCpu - 1e-9) {
                return new Size(c, 2 * c);
            }
        }
        return null;
    }
}
