package io.oomresponder.simulator;

/**
 * Legitimate demand: each replica's working set follows the requests it serves (with a short lag),
 * and the peak of that demand is above the limit. Memory falls back when the traffic does.
 */
final class DemandBehaviour implements Behaviour {

    /** Which shape of demand. */
    enum Shape {
        /** One (sometimes two) traffic spikes late in the window. */
        SPIKE,
        /** Traffic ramps up steadily; memory crosses the limit late in the window. */
        RAMP,
        /** Working set sits just under the limit; short bursts push it over. */
        PLATEAU,
        /** Traffic grows while the app is pinned at maxReplicas, so per-replica load grows. */
        TOO_FEW_REPLICAS
    }

    private final Shape shape;
    private double plateauBytes;
    private double requestsPerReplica;
    /** Load (relative to normal) above which a plateau app needs more memory than its plateau. */
    private double knee;
    private final long limitBytes;
    /** Below the knee a plateau app's memory moves a quarter of the limit per 100% change in load. */
    private static final double PLATEAU_SLOPE = 0.25;
    /** Plateau apps serve enough traffic that Poisson noise stays a few percent. */
    private static final double PLATEAU_MIN_REQUESTS_PER_MINUTE = 400;
    private final double[] traffic;
    private final double baselineBytes;
    private final double bytesPerRequest;
    private final double noiseBytes;
    private final double lag;
    private final AlertKind alertKind;

    DemandBehaviour(ModelParameters p, Shape shape) {
        this.shape = shape;
        long limit = p.limitBytes();
        int n = p.minutes();
        this.limitBytes = limit;
        double perReplica = shape == Shape.PLATEAU ? Math.max(PLATEAU_MIN_REQUESTS_PER_MINUTE, p.requestsPerReplicaMinute())
                : p.requestsPerReplicaMinute();
        this.baselineBytes = limit * p.between(0.20, 0.35);
        this.noiseBytes = limit * p.between(0.003, 0.008);
        // How fast memory follows load: pools and caches need a few minutes; a plateau app is at its plateau.
        this.lag = shape == Shape.PLATEAU ? p.between(0.85, 1.0) : p.between(0.4, 0.75);
        this.traffic = Traffic.steady(p.rnd(), n, perReplica * p.replicas(), shape == Shape.PLATEAU ? 0.02 : p.between(0.03, 0.10));
        this.bytesPerRequest = switch (shape) {
            case SPIKE -> spike(p, n, perReplica);
            case RAMP, TOO_FEW_REPLICAS -> ramp(p, n, perReplica);
            case PLATEAU -> plateau(p, n, perReplica);
        };
        this.alertKind = p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
    }

    /** Adds the spike(s); returns bytes per request that put the spike's demand well over the limit. */
    private double spike(ModelParameters p, int n, double perReplica) {
        double factor = p.between(3.0, 5.5);
        int duration = (int) Math.max(12, Math.min(p.between(20.0, 70.0), 0.15 * n));
        int edge = p.between(4, 10);
        int start = Math.min((int) (n * p.between(0.5, 0.8)), n - duration - 6);
        Traffic.bump(traffic, start, start + duration, edge, factor);
        if (n > 300 && p.rnd().nextBoolean()) {
            int earlier = (int) (n * p.between(0.1, 0.35));
            Traffic.bump(traffic, earlier, earlier + duration, edge, p.between(1.6, factor));
        }
        return (p.limitBytes() * p.between(1.2, 1.4) - baselineBytes) / (perReplica * factor);
    }

    /** Adds a ramp; returns bytes per request that reach the limit at 65..80% of the window. */
    private double ramp(ModelParameters p, int n, double perReplica) {
        int from = (int) (n * p.between(0.0, 0.3));
        double factor = shape == Shape.TOO_FEW_REPLICAS ? p.between(2.5, 3.5) : p.between(2.5, 4.0);
        Traffic.ramp(traffic, from, factor);
        double crossing = n * p.between(0.65, 0.8);
        double trafficAtCrossing = 1 + (factor - 1) * Math.max(0, crossing - from) / Math.max(1, n - 1 - from);
        return (p.limitBytes() - baselineBytes) / (perReplica * trafficAtCrossing);
    }

    /** Adds short bursts; returns bytes per request above the knee that put big bursts over the limit. */
    private double plateau(ModelParameters p, int n, double perReplica) {
        plateauBytes = p.limitBytes() * p.between(0.84, 0.9);
        requestsPerReplica = perReplica;
        // The knee sits above normal load plus its Poisson noise (3 sigma), so only bursts cross it.
        knee = 1.1 + 3 / Math.sqrt(perReplica);
        int m = p.between(5, 40);
        int big = 0;
        while (m < n - 6) {
            int length = p.between(2, 5);
            boolean late = m > n * 0.75;
            // At least two bursts big enough to kill, one of them late (the alert fires on it).
            boolean mustKill = (big < 1 && m > n * 0.3) || (late && big < 2);
            double factor = mustKill || p.rnd().nextInt(3) == 0 ? knee + p.between(0.3, 0.6) : p.between(1.05, knee);
            big += factor > knee ? 1 : 0;
            Traffic.bump(traffic, m, m + length, 1, factor);
            m += length + p.between(15, 50);
        }
        // A burst 0.3 above the knee reaches 108% of the limit.
        return (p.limitBytes() * (1.08 - PLATEAU_SLOPE * (knee - 1)) - plateauBytes) / (0.3 * perReplica);
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double target;
        if (shape == Shape.PLATEAU) {
            // Caches and pools fill up to a plateau at normal load; only load above the knee adds more.
            double relative = requests / (requestsPerReplica * r.share);
            target = plateauBytes + limitBytes * PLATEAU_SLOPE * (Math.min(relative, knee) - 1)
                    + bytesPerRequest * requestsPerReplica * Math.max(0, relative - knee);
        } else {
            target = baselineBytes + bytesPerRequest * requests;
        }
        double level = r.accumulated == 0 ? baselineBytes * 0.9 : r.accumulated;
        level += (target - level) * lag;
        r.accumulated = level;
        return level + noiseBytes * r.gaussian();
    }

    @Override
    public int maxReplicas(int replicas, ModelParameters p) {
        return shape == Shape.TOO_FEW_REPLICAS ? replicas : replicas + p.between(3, 10);
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
