package io.oomresponder.bench;

import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench gather}: one evidence gather with the real SDK clients against the fake Azure at
 * several simulated latencies, printing wall time (the critical path) against the sum of the
 * individual calls (what a serial collector would pay).
 */
@Command(name = "gather", mixinStandardHelpOptions = true,
        description = "Evidence gather: parallel wall time vs the serial sum of calls at 100/300/1000 ms simulated latency.")
public final class BenchGather implements Callable<Integer> {

    @Option(names = "--latency-ms", split = ",", defaultValue = "100,300,1000", paramLabel = "MS[,MS...]",
            description = "Latencies the simulator adds to every response (default ${DEFAULT-VALUE}).")
    int[] latencies;

    @Option(names = "--runs", defaultValue = "5", description = "Timed gathers per latency; the median is printed (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--scenario", defaultValue = "leak/classic", description = "Scenario served (default ${DEFAULT-VALUE}).")
    String scenario;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("--runs must be at least 1");
            return 2;
        }
        try (SimulatedFleet fleet = SimulatedFleet.start(1, 7, List.of(scenario), null);
             AzureEvidenceSource source = AzureEvidenceSource.fromSettings(fleet.settings(), fleet.clock())) {
            AlertSignal alert = alertOf(fleet);
            source.gatherTimed(alert); // warm-up: TLS, class loading and JIT are cold-start figures, not gather figures
            System.out.printf(Locale.ROOT, "evidence gather, real SDK clients against the fake Azure (HTTPS, loopback), scenario %s, median of %d runs%n",
                    scenario, runs);
            System.out.printf(Locale.ROOT, "%10s %10s %7s %12s %14s %12s%n", "latencyMs", "gatherMs", "calls", "sumOfCallMs", "sum/gather", "gather/lat");
            for (int latency : latencies) {
                fleet.azure().faults().clear();
                fleet.azure().faults().latency(Duration.ofMillis(latency));
                long[] gather = new long[runs];
                long[] sum = new long[runs];
                int calls = 0;
                for (int r = 0; r < runs; r++) {
                    GatheredEvidence g = source.gatherTimed(alert);
                    gather[r] = g.timings().gatherMs();
                    sum[r] = g.timings().sumOfCallMs();
                    calls = g.timings().calls();
                }
                long gm = median(gather);
                long sm = median(sum);
                System.out.printf(Locale.ROOT, "%10d %10d %7d %12d %13.1fx %11.1fx%n", latency, gm, calls, sm,
                        sm / (double) Math.max(1, gm), gm / (double) Math.max(1, latency));
            }
            System.out.println("sum/gather: how many times faster than calling the same APIs one after another;"
                    + " gather/lat: the critical path in round trips (the ARM chain app -> revisions -> replicas is 3 deep).");
        }
        return 0;
    }

    static AlertSignal alertOf(SimulatedFleet fleet) {
        Settings settings = fleet.settings();
        AlertIntake intake = new AlertIntake(ScopeGuard.fromSettings(settings), fleet.clock());
        IntakeResult r = intake.accept(fleet.originalPayload(0), Map.of("Content-Type", "application/json"));
        if (!(r instanceof IntakeResult.Accepted a)) {
            throw new IllegalStateException("intake did not accept the simulated alert: " + r);
        }
        return a.alerts().get(0).alert();
    }

    static long median(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy[copy.length / 2];
    }
}
