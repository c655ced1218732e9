package io.oomresponder.bench;

import io.oomresponder.evidence.GatherTimings;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.evidence.AppResolution;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.AppByName;
import io.oomresponder.intake.ContainerAppId;
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
 * {@code bench gather}: evidence gathers with the real SDK clients against the fake Azure at
 * several simulated latencies, printing wall time, calls, the sum of the calls (what a serial
 * collector would pay), the dependent round trips and the critical path, for a first alert (a new
 * evidence source: nothing remembered about the environment) and for a later one (the environment
 * and its workspaces remembered). Target: a first alert's gather within 4 round trips plus 1 s at
 * 300 ms; exits 1 when a latency of 300 ms is measured and misses it.
 */
@Command(name = "gather", mixinStandardHelpOptions = true,
        description = "Evidence gather: wall time, calls, dependent round trips and the critical path at 100/300/1000 ms simulated latency.")
public final class BenchGather implements Callable<Integer> {

    /** The target: a gather within this many round trips of latency, plus {@link #TARGET_SLACK}. */
    static final int TARGET_ROUND_TRIPS = 4;
    static final Duration TARGET_SLACK = Duration.ofSeconds(1);
    static final int TARGET_LATENCY_MS = 300;

    @Option(names = "--latency-ms", split = ",", defaultValue = "100,300,1000", paramLabel = "MS[,MS...]",
            description = "Latencies the simulator adds to every response (default ${DEFAULT-VALUE}).")
    int[] latencies;

    @Option(names = "--runs", defaultValue = "5", description = "Timed gathers per latency and case; the median is printed (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--scenario", defaultValue = "leak/classic", description = "Scenario served (default ${DEFAULT-VALUE}).")
    String scenario;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("--runs must be at least 1");
            return 2;
        }
        boolean missed = false;
        String atTarget = "not measured";
        try (SimulatedFleet fleet = SimulatedFleet.start(1, 7, List.of(scenario), null)) {
            AlertSignal alert = alertOf(fleet);
            try (AzureEvidenceSource warm = AzureEvidenceSource.fromSettings(fleet.settings(), fleet.clock())) {
                // A workspace-scoped log alert names its app only by name: resolved once here, as the worker
                // does before it gathers; the gather is what is measured.
                if (AppByName.needsResolution(alert)) {
                    AppResolution found = warm.resolveApp(alert);
                    if (!found.resolved()) {
                        System.err.println("oom-responder bench gather: the scenario's alert names no app that resolves: " + found.problem());
                        return 1;
                    }
                    alert = AppByName.resolvedTo(alert, ContainerAppId.parse(found.appResourceId()));
                }
                warm.gatherTimed(alert); // class loading, TLS and JIT are cold-start figures, not gather figures
            }
            System.out.printf(Locale.ROOT, "evidence gather, real SDK clients against the fake Azure (HTTPS, loopback), scenario %s, median of %d runs%n",
                    scenario, runs);
            System.out.printf(Locale.ROOT, "%-12s %9s %9s %6s %10s %12s %11s %11s%n", "alert", "latencyMs", "gatherMs", "calls", "roundTrips",
                    "sumOfCallMs", "sum/gather", "target ms");
            List<String> paths = new java.util.ArrayList<>();
            for (int latency : latencies) {
                fleet.azure().faults().clear();
                fleet.azure().faults().latency(Duration.ofMillis(latency));
                long targetMs = TARGET_ROUND_TRIPS * (long) latency + TARGET_SLACK.toMillis();
                // First alert: a new source each run (nothing remembered). Later alert: one source, gathered once before.
                List<GatheredEvidence> first = new java.util.ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    try (AzureEvidenceSource fresh = AzureEvidenceSource.fromSettings(fleet.settings(), fleet.clock())) {
                        first.add(fresh.gatherTimed(alert));
                    }
                }
                List<GatheredEvidence> later = new java.util.ArrayList<>();
                try (AzureEvidenceSource source = AzureEvidenceSource.fromSettings(fleet.settings(), fleet.clock())) {
                    source.gatherTimed(alert);
                    for (int r = 0; r < runs; r++) {
                        later.add(source.gatherTimed(alert));
                    }
                }
                GatheredEvidence f = medianOf(first);
                GatheredEvidence l = medianOf(later);
                boolean met = f.timings().gatherMs() <= targetMs;
                if (latency == TARGET_LATENCY_MS) {
                    missed = !met;
                    atTarget = String.format(Locale.ROOT, "%s, %d ms (at most %d), %d calls, %d dependent round trips", met ? "met" : "MISSED",
                            f.timings().gatherMs(), targetMs, f.timings().calls(), f.timings().dependentRoundTrips());
                }
                print("first", latency, f, targetMs + (met ? " met" : " MISSED"));
                print("later", latency, l, "");
                paths.add(String.format(Locale.ROOT, "  %4d ms, first alert: %s", latency, String.join(" -> ", f.timings().criticalPath())));
                paths.add(String.format(Locale.ROOT, "  %4d ms, later alert: %s", latency, String.join(" -> ", l.timings().criticalPath())));
            }
            System.out.println("critical path (each call started only after the one before it ended; the median run's):");
            paths.forEach(System.out::println);
            System.out.printf(Locale.ROOT, "target: a first alert's gather <= %d x latency + %d s at %d ms: %s%n", TARGET_ROUND_TRIPS,
                    TARGET_SLACK.toSeconds(), TARGET_LATENCY_MS, atTarget);
            System.out.println("sum/gather: how many times faster than calling the same APIs one after another;"
                    + " roundTrips: calls on the critical path.");
        }
        return missed ? 1 : 0;
    }

    private static void print(String which, int latency, GatheredEvidence g, String target) {
        GatherTimings t = g.timings();
        System.out.printf(Locale.ROOT, "%-12s %9d %9d %6d %10d %12d %10.1fx %11s%n", which, latency, t.gatherMs(), t.calls(),
                t.dependentRoundTrips(), t.sumOfCallMs(), t.sumOfCallMs() / (double) Math.max(1, t.gatherMs()), target);
    }

    /** The run with the median wall time. */
    private static GatheredEvidence medianOf(List<GatheredEvidence> runs) {
        List<GatheredEvidence> sorted = new java.util.ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingLong(g -> g.timings().gatherMs()));
        return sorted.get(sorted.size() / 2);
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
