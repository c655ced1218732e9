package io.oomresponder.simulator;

/**
 * Legitimate demand: each replica's working set follows the requests it serves (with a short lag),
 * and the peak of that demand is above the limit.
 */
final class DemandBehaviour implements Behaviour {

    /** Which shape of demand. */
    enum Shape { SPIKE }

    private final double[] traffic;
    private final double baselineBytes;
    private final double bytesPerRequest;
    private final double noiseBytes;
    private final double lag;
    private final AlertKind alertKind;

    DemandBehaviour(ModelParameters p, Shape shape) {
        long limit = p.limitBytes();
        int n = p.minutes();
        double perReplica = p.requestsPerReplicaMinute();
        this.baselineBytes = limit * p.between(0.20, 0.35);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.lag = p.between(0.35, 0.7);
        this.traffic = Traffic.steady(p.rnd(), n, perReplica * p.replicas(), p.between(0.03, 0.10));
        double factor = p.between(3.0, 5.5);
        int duration = (int) Math.max(12, Math.min(p.between(20.0, 70.0), 0.15 * n));
        int edge = p.between(4, 10);
        int spikeStart = (int) (n * p.between(0.5, 0.8));
        spikeStart = Math.min(spikeStart, n - duration - 6);
        Traffic.bump(traffic, spikeStart, spikeStart + duration, edge, factor);
        if (n > 300 && p.rnd().nextBoolean()) {
            int earlier = (int) (n * p.between(0.1, 0.35));
            Traffic.bump(traffic, earlier, earlier + duration, edge, p.between(1.6, factor));
        }
        // Scale memory per request so the spike's demand is well over the limit.
        this.bytesPerRequest = (limit * p.between(1.2, 1.4) - baselineBytes) / (perReplica * factor);
        this.alertKind = p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double target = baselineBytes + bytesPerRequest * requests;
        double level = r.accumulated == 0 ? baselineBytes * 0.9 : r.accumulated;
        level += (target - level) * lag;
        r.accumulated = level;
        return level + noiseBytes * r.gaussian();
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
