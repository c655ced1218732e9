package io.oomresponder.simulator;

/**
 * An application leak: each replica's working set grows with the requests it serves, is reset by
 * the OOM kill, and grows again at the same pace after the restart.
 */
final class LeakBehaviour implements Behaviour {

    /** Which leak. */
    enum Variant {
        CLASSIC, GC_WIGGLE, MANY, SLOW,
        /** Traffic rises through the window; a small cache follows it, the leak does not. */
        RISING_TRAFFIC,
        /** Replicas come and go with autoscaling; each leaks from its own start. */
        CHURN
    }

    /** A leaking replica is killed within this fraction of the limit (the cgroup kills at the limit). */
    private static final double OOM_FRACTION = 0.995;

    private final ModelParameters p;
    private final Variant variant;
    private final double[] traffic;
    private final double meanRequestsPerReplica;
    private final double baselineBytes;
    private final double noiseBytes;
    private final double cycleMinutes;
    private final double gcAmplitudeBytes;
    private final double gcPeriodMinutes;
    private final AlertKind alertKind;
    /** Bytes a cache holds per unit of load above normal (RISING_TRAFFIC), else 0. */
    private final double cacheBytes;

    LeakBehaviour(ModelParameters p, Variant variant) {
        this.p = p;
        this.variant = variant;
        long limit = p.limitBytes();
        this.baselineBytes = limit * p.between(0.22, 0.40);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        // Minutes from a fresh start to the OOM kill: short enough for at least two kills per
        // replica in the window, except the slow leak (one or two kills).
        this.cycleMinutes = switch (variant) {
            case SLOW -> p.minutes() * p.between(0.5, 0.75);
            case CHURN -> p.minutes() * p.between(0.2, 0.4);
            default -> p.minutes() / p.between(2.7, 6.0);
        };
        this.gcAmplitudeBytes = limit * (variant == Variant.GC_WIGGLE ? p.between(0.04, 0.10) : p.between(0.004, 0.012));
        this.gcPeriodMinutes = p.between(4.0, 15.0);
        this.meanRequestsPerReplica = p.requestsPerReplicaMinute();
        this.traffic = Traffic.steady(p.rnd(), p.minutes(), meanRequestsPerReplica * p.replicas(), p.between(0.05, 0.25));
        if (variant == Variant.RISING_TRAFFIC) {
            Traffic.ramp(traffic, (int) (p.minutes() * p.between(0.0, 0.2)), p.between(2.0, 3.5));
        }
        this.cacheBytes = variant == Variant.RISING_TRAFFIC ? limit * p.between(0.02, 0.05) : 0;
        this.alertKind = variant == Variant.SLOW
                ? (p.rnd().nextBoolean() ? AlertKind.WORKING_SET : AlertKind.MEMORY_PERCENTAGE)
                : (p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT);
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public void initialise(ReplicaState r) {
        double room = p.limitBytes() * OOM_FRACTION - baselineBytes;
        double cycle = cycleMinutes * (0.9 + 0.1 * r.rnd.nextDouble());
        r.rate = room / cycle;
        r.phase = r.rnd.nextDouble() * gcPeriodMinutes;
        if (r.firstMinute > 0) {
            r.accumulated = 0;
        } else if (variant == Variant.SLOW) {
            // The first kill comes early enough that the regrowth after it is in the window.
            double firstKill = Math.min(p.minutes() * (0.2 + 0.35 * r.rnd.nextDouble()), cycle * 0.95);
            r.accumulated = Math.max(0, room - r.rate * firstKill);
        } else {
            r.accumulated = r.rate * cycle * 0.9 * r.rnd.nextDouble();
        }
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double relative = requests / (meanRequestsPerReplica * r.share);
        // Under rising traffic the leak still grows with process age: its pace is that of a normal load.
        double loadFactor = variant == Variant.RISING_TRAFFIC ? 1 : 0.75 + 0.25 * relative;
        r.accumulated += r.rate * loadFactor * (1 + 0.1 * r.gaussian());
        double cache = cacheBytes * Math.max(0, relative - 1);
        double warmup = -0.08 * baselineBytes * Math.exp(-r.minutesSinceStart / 4.0);
        double gc = gcAmplitudeBytes * (((minute + r.phase) % gcPeriodMinutes) / gcPeriodMinutes);
        return baselineBytes + warmup + cache + r.accumulated + gc + noiseBytes * r.gaussian();
    }

    @Override
    public int restartsBefore(ReplicaState r, long ageMinutes) {
        return (int) Math.min(400, ageMinutes / Math.max(1, (p.limitBytes() * OOM_FRACTION - baselineBytes) / r.rate));
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
