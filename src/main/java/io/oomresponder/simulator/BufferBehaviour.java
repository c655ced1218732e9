package io.oomresponder.simulator;

import java.util.List;
import java.util.Locale;

/**
 * Unbounded buffering: a downstream got slow, the app keeps accepting work and holds it in memory.
 * The buffer grows with the backlog (faster the longer the replica runs), served traffic is flat or
 * falling, an OOM kill empties the buffer and it refills faster because the backlog is still there.
 */
final class BufferBehaviour implements Behaviour {

    private static final double OOM_FRACTION = 0.995;

    private final ModelParameters p;
    private final double[] traffic;
    private final double baselineBytes;
    private final double noiseBytes;
    private final double cycleMinutes;
    private final double bytesPerMessage;
    private final String queueName;
    private final String downstream;
    private final AlertKind alertKind;
    /** Whether the app logs its backlog at all (vague: apps differ). */
    private final boolean logsPending;
    /** Messages per minute the backlog left waiting in the queue grows by (the app takes the rest into memory). */
    private final double queueGrowthPerMinute;

    BufferBehaviour(ModelParameters p) {
        this.p = p;
        long limit = p.limitBytes();
        this.baselineBytes = limit * p.between(0.20, 0.38);
        this.noiseBytes = limit * p.between(0.003, 0.010);
        this.cycleMinutes = p.minutes() / p.between(2.8, 5.5);
        this.traffic = Traffic.steady(p.rnd(), p.minutes(), p.requestsPerReplicaMinute() * p.replicas(), p.between(0.02, 0.10));
        // Served traffic does not rise: it stays flat or sags as the app spends its time on the backlog.
        Traffic.ramp(traffic, 0, p.between(0.6, 0.95));
        this.bytesPerMessage = 1024 * p.between(8.0, 96.0);
        this.queueName = List.of("orders-outbox", "ledger-events", "email-dispatch", "ingest-batches").get(p.rnd().nextInt(4));
        this.downstream = List.of("https://ledger.internal/v1/entries", "https://search.internal/_bulk",
                "https://crm.partner.example/api/contacts", "https://warehouse.internal/ingest").get(p.rnd().nextInt(4));
        this.alertKind = p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
        this.logsPending = p.rnd().nextBoolean();
        // Work arrives faster than the slow downstream takes it: the deficit piles up, part in the
        // app's memory and part in the queue (how much a client library leaves in the queue varies).
        double arrivals = p.requestsPerReplicaMinute() * p.replicas();
        this.queueGrowthPerMinute = arrivals * p.between(0.02, 0.2) * p.between(0.2, 0.9);
    }

    @Override
    public double queueBacklogGrowthPerMinute() {
        return queueGrowthPerMinute;
    }

    @Override
    public String queueName() {
        return queueName;
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public void initialise(ReplicaState r) {
        double room = p.limitBytes() * OOM_FRACTION - baselineBytes;
        double cycle = cycleMinutes * (0.9 + 0.1 * r.rnd.nextDouble());
        // Growth speeds up linearly over a cycle: integral of (1 + t/c) over [0, c] is 1.5 c.
        r.rate = room / (1.5 * cycle);
        r.phase = cycle;
        r.accumulated = r.firstMinute > 0 ? 0 : room * 0.8 * r.rnd.nextDouble();
    }

    @Override
    public double demand(ReplicaState r, int minute, double requests) {
        double speedUp = 1 + Math.min(2.0, r.minutesSinceStart / r.phase);
        // Each restart leaves a bigger backlog behind, so the refill is faster.
        double backlog = 1 + 0.25 * Math.min(4, r.restartsInWindow);
        r.accumulated += r.rate * speedUp * backlog * (1 + 0.08 * r.gaussian());
        double warmup = -0.08 * baselineBytes * Math.exp(-r.minutesSinceStart / 4.0);
        return baselineBytes + warmup + r.accumulated + noiseBytes * r.gaussian();
    }

    @Override
    public void console(ReplicaState r, int minute, ConsoleWriter out) {
        if (r.rnd.nextInt(20) == 0 && r.accumulated > 0) {
            long pending = Math.round(r.accumulated / bytesPerMessage);
            int second = r.rnd.nextInt(60);
            // Drawn whether or not the app logs it, so the replica's other draws stay where they were.
            String line = String.format(Locale.ROOT,
                    "WARN  dispatcher: %d messages pending in memory (%.1f MB), POST %s p99=%.1fs, retrying with backoff",
                    pending, r.accumulated / 1_048_576.0, downstream, 8 + 25 * r.rnd.nextDouble());
            if (logsPending) {
                out.write(r, minute, second, "stdout", line);
            }
        }
    }

    @Override
    public int restartsBefore(ReplicaState replica, long ageMinutes) {
        return replica.rnd.nextInt(3);
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }
}
