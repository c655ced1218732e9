package io.oomresponder.simulator;

/** The CPU and memory pairs the Consumption plan allows (memory is always twice the cores, in Gi). */
enum LimitPair {
    CPU_0_25(0.25, "0.5Gi"),
    CPU_0_5(0.5, "1Gi"),
    CPU_0_75(0.75, "1.5Gi"),
    CPU_1(1.0, "2Gi"),
    CPU_1_25(1.25, "2.5Gi"),
    CPU_1_5(1.5, "3Gi"),
    CPU_1_75(1.75, "3.5Gi"),
    CPU_2(2.0, "4Gi");

    private static final long GIB = 1L << 30;

    final double cpu;
    final String memory;

    LimitPair(double cpu, String memory) {
        this.cpu = cpu;
        this.memory = memory;
    }

    long memoryBytes() {
        return Math.round(cpu * 2 * GIB);
    }
}
