package io.oomresponder.simulator;

/**
 * A healthy app: no restarts, memory flat well below the limit, and one brief blip on one replica
 * that tripped a MemoryPercentage rule.
 */
final class HealthyBehaviour implements Behaviour {

    /** Threshold of the MemoryPercentage rule that fired, percent of the limit. */
    static final double ALERT_PERCENT = 70;

    private final double[] traffic;
    private final double baselineBytes;
    private final double noiseBytes;
    private final int blipReplica;
    private final int blipStart;
    private final int blipMinutes;
    private final double blipPeakBytes;
    private final AlertKind alertKind;

    HealthyBehaviour(ModelParameters p) {
        long limit = p.limitBytes();
        int n = p.minutes();
        this.baselineBytes = limit * p.between(0.25, 0.50);
        this.noiseBytes = limit * p.between(0.002, 0.008);
        this.traffic = Traffic.steady(p.rnd(), n, p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.25));
        this.blipReplica = p.rnd().nextInt(p.replicas());
        this.blipMinutes = p.between(2, 5);
        this.blipStart = (int) Math.min(n * p.between(0.75, 0.95), n - blipMinutes - 3);
        this.blipPeakBytes = limit * p.between(0.73, 0.82);
        this.alertKind = p.rnd().nextInt(3) == 0 ? AlertKind.WORKING_SET : AlertKind.MEMORY_PERCENTAGE;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        if (r.index == blipReplica && minute >= blipStart && minute < blipStart + blipMinutes) {
            return blipPeakBytes - noiseBytes * Math.abs(r.gaussian());
        }
        double warmup = -0.1 * baselineBytes * Math.exp(-r.minutesSinceStart / 5.0);
        return baselineBytes + warmup + noiseBytes * r.gaussian();
    }

    @Override
    public int restartsBefore(ReplicaState replica, long ageMinutes) {
        return 0;
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }

    @Override
    public double memoryAlertPercent() {
        return ALERT_PERCENT;
    }
}
