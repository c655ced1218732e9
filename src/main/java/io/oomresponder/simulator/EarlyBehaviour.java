package io.oomresponder.simulator;

/**
 * Incidents caught before any restart: a WorkingSetBytes or MemoryPercentage rule fired while every
 * replica is still running. Three shapes that must be told apart: a young leak (memory climbs
 * steadily whatever the traffic), a daily peak (memory follows the daily traffic wave and nears
 * the limit at its crest), and an app sized tight (memory flat near the limit, traffic moving
 * independently).
 */
final class EarlyBehaviour implements Behaviour {

    /** Which early shape. */
    enum Shape { LEAK, DAILY_PEAK, FLAT_HIGH }

    private final ModelParameters p;
    private final Shape shape;
    private final double[] traffic;
    private final double baselineBytes;
    private final double noiseBytes;
    /** LEAK: where the oldest replica ends the window, as a share of the limit. */
    private final double endLevel;
    /** DAILY_PEAK: bytes per unit of relative load above the trough. */
    private final double swingBytes;
    private final double trough;
    private final double lag;
    private final AlertKind alertKind;

    EarlyBehaviour(ModelParameters p, Shape shape) {
        this.p = p;
        this.shape = shape;
        long limit = p.limitBytes();
        this.noiseBytes = limit * p.between(0.003, 0.008);
        this.lag = p.between(0.3, 0.7);
        double amplitude = switch (shape) {
            case LEAK -> p.between(0.05, 0.3);
            case DAILY_PEAK -> p.between(0.35, 0.6);
            case FLAT_HIGH -> p.between(0.1, 0.4);
        };
        this.traffic = Traffic.steady(p.rnd(), p.minutes(), p.requestsPerReplicaMinute() * p.replicas(), amplitude);
        this.trough = 1 - amplitude * 1.2;
        switch (shape) {
            case LEAK -> {
                this.baselineBytes = limit * p.between(0.25, 0.40);
                this.endLevel = p.between(0.83, 0.93);
                this.swingBytes = limit * p.between(0.0, 0.05);
            }
            case DAILY_PEAK -> {
                // The crest of the wave (relative load 1 + 1.2 × amplitude) reaches 84..93% of the limit.
                this.baselineBytes = limit * p.between(0.25, 0.40);
                double crest = limit * p.between(0.84, 0.93);
                this.endLevel = Double.NaN;
                this.swingBytes = (crest - baselineBytes) / (2.4 * amplitude);
            }
            default -> {
                this.baselineBytes = limit * p.between(0.86, 0.93);
                this.endLevel = Double.NaN;
                this.swingBytes = 0;
            }
        }
        this.alertKind = p.rnd().nextBoolean() ? AlertKind.WORKING_SET : AlertKind.MEMORY_PERCENTAGE;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public void initialise(ReplicaState r) {
        if (shape == Shape.LEAK) {
            // Every replica leaks at about the same pace; they started at different times, so they
            // are at different heights. The highest ends the window at endLevel.
            double end = endLevel - 0.12 * r.rnd.nextDouble();
            double start = p.between(0.45, 0.6);
            start = Math.min(start, end - 0.25);
            r.rate = p.limitBytes() * (end - start) / p.minutes();
            r.accumulated = Math.max(0, p.limitBytes() * start - baselineBytes);
        }
    }

    @Override
    public double demand(ReplicaState r, int minute, double load) {
        double relative = load / Math.max(1e-9, p.requestsPerReplicaMinute() * r.share);
        return switch (shape) {
            case LEAK -> {
                r.accumulated += r.rate * (1 + 0.1 * r.gaussian());
                yield baselineBytes + r.accumulated + swingBytes * (relative - 1) + noiseBytes * r.gaussian();
            }
            case DAILY_PEAK -> {
                double target = baselineBytes + swingBytes * Math.max(0, relative - trough);
                double level = r.accumulated == 0 ? target : r.accumulated;
                level += (target - level) * lag;
                r.accumulated = level;
                yield level + noiseBytes * r.gaussian();
            }
            case FLAT_HIGH -> baselineBytes + noiseBytes * r.gaussian();
        };
    }

    @Override
    public int restartsBefore(ReplicaState replica, long ageMinutes) {
        return shape == Shape.LEAK ? 0 : replica.rnd.nextInt(2);
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }

    @Override
    public double memoryAlertPercent() {
        return 80;
    }
}
