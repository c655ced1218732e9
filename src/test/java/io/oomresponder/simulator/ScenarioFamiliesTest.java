package io.oomresponder.simulator;

import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Every family keeps its defining property for every seed (checked on {@link #SEEDS} seeds each). */
class ScenarioFamiliesTest {

    static final int SEEDS = 40;

    private static void forSeeds(String scenario, Consumer<BundleView> check) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            EvidenceBundle bundle = ScenarioCatalog.generate(scenario, seed).truth();
            try {
                check.accept(new BundleView(bundle));
            } catch (AssertionError e) {
                throw new AssertionError(scenario + " seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    /** Between two OOM restarts of one replica the working set climbs from low back to the limit. */
    private static void regrowsBetweenRestarts(BundleView v, int minimumRestarts) {
        assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(minimumRestarts);
        int cycles = 0;
        for (String pod : v.pods()) {
            double[] ws = v.workingSet(pod);
            List<Integer> restarts = v.restartMinutes(pod);
            for (int i = 0; i + 1 < restarts.size(); i++) {
                int from = restarts.get(i);
                int to = restarts.get(i + 1);
                if (to - from < 8) {
                    continue;
                }
                double after = BundleView.first(ws, from + 1, from + 7);
                double before = BundleView.last(ws, to - 3, to);
                assertThat(after / v.limitBytes).as("%s just after the restart at %d", pod, from).isLessThan(0.7);
                assertThat((before - after) / v.limitBytes).as("%s regrowth %d..%d", pod, from, to).isGreaterThan(0.25);
                cycles++;
            }
        }
        assertThat(cycles).as("complete leak cycles").isGreaterThanOrEqualTo(1);
    }

    @Test
    void classicLeakOomsAtLeastTwiceAndRegrowsAfterEachRestart() {
        forSeeds("leak/classic", v -> regrowsBetweenRestarts(v, 2));
    }

    @Test
    void gcWiggleLeakRegrowsUnderItsSawtooth() {
        forSeeds("leak/gc-wiggle", v -> regrowsBetweenRestarts(v, 2));
    }

    @Test
    void manyReplicaLeakHasManyReplicasAllOomKilled() {
        forSeeds("leak/many-replicas", v -> {
            assertThat(v.pods()).hasSizeGreaterThanOrEqualTo(5);
            regrowsBetweenRestarts(v, 2 * v.pods().size());
        });
    }

    @Test
    void slowLeakRestartsOnceOrTwiceAndGrowsAgainAfterIt() {
        forSeeds("leak/slow", v -> {
            assertThat(v.bundle.alert().signal().name()).isIn("WorkingSetBytes", "MemoryPercentage");
            for (String pod : v.pods()) {
                List<Integer> restarts = v.restartMinutes(pod);
                assertThat(restarts).as(pod).hasSizeBetween(1, 2);
                double[] ws = v.workingSet(pod);
                double after = BundleView.first(ws, restarts.get(0) + 1, restarts.get(0) + 7);
                int next = restarts.size() > 1 ? restarts.get(1) : ws.length;
                double end = BundleView.last(ws, next - 10, next);
                assertThat((end - after) / v.limitBytes).as("%s regrowth after the restart", pod).isGreaterThan(0.2);
            }
        });
    }

    @Test
    void unboundedBufferRegrowsWhileServedTrafficDoesNotRise() {
        forSeeds("buffer/unbounded", v -> {
            regrowsBetweenRestarts(v, 2);
            double[] total = v.totalRequests();
            int tenth = total.length / 10;
            assertThat(mean(total, total.length - tenth, total.length)).isLessThanOrEqualTo(mean(total, 0, tenth) * 1.1);
            // It takes its work from a queue (which service, and whether it logs its backlog, vary by seed).
            assertThat(v.bundle.app().scale().rules()).anyMatch(r -> r.type().startsWith("azure-"));
        });
    }

    @Test
    void peakMemoryTracksTrafficAndCrossesTheLimit() {
        for (String scenario : List.of("peak/spike", "peak/ramp", "scale/too-few-replicas")) {
            forSeeds(scenario, v -> {
                assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(1);
                // Per-minute correlation: memory has its own noise, apart from the Requests metric's.
                assertThat(trafficCorrelation(v)).isGreaterThan(0.5);
            });
        }
    }

    @Test
    void plateauSitsJustUnderTheLimitAndOomsOnlyOnBursts() {
        forSeeds("peak/plateau", v -> {
            assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(2);
            // Memory follows load only above the knee (bursts), so the whole-window per-minute
            // correlation is weak once memory has its own noise; the kills-in-bursts check below is the property.
            for (String pod : v.pods()) {
                double[] requests = v.requests(pod);
                double median = java.util.Arrays.stream(requests).filter(x -> !Double.isNaN(x)).sorted()
                        .skip(requests.length / 2).findFirst().orElseThrow();
                double[] ws = v.workingSet(pod);
                double typical = java.util.Arrays.stream(ws).filter(x -> !Double.isNaN(x)).sorted()
                        .skip(ws.length / 2).findFirst().orElseThrow();
                assertThat(typical / v.limitBytes).as("%s median working set", pod).isBetween(0.75, 0.97);
                int inBurst = 0;
                List<Integer> restarts = v.restartMinutes(pod);
                for (int m : restarts) {
                    // OOM minutes serve less (the replica died part way through), so look around them.
                    double around = 0;
                    for (int k = Math.max(0, m - 2); k < Math.min(requests.length, m + 4); k++) {
                        around = Double.isNaN(requests[k]) ? around : Math.max(around, requests[k]);
                    }
                    inBurst += around > median * 1.05 ? 1 : 0;
                }
                assertThat(inBurst).as("%s OOM kills during bursts", pod).isGreaterThanOrEqualTo((int) Math.ceil(restarts.size() * 0.6));
            }
        });
    }

    @Test
    void tooFewReplicasIsPinnedAtMaxReplicasWhilePeaksAreNot() {
        forSeeds("scale/too-few-replicas", v -> assertThat(v.replicaCounts())
                .containsOnly((double) v.bundle.app().scale().maxReplicas()));
        for (String scenario : List.of("peak/spike", "peak/ramp", "peak/plateau")) {
            forSeeds(scenario, v -> assertThat(v.replicaCounts())
                    .allSatisfy(n -> assertThat(n).isLessThan(v.bundle.app().scale().maxReplicas())));
        }
    }

    @Test
    void heavyStartupOomsOnlyRightAfterAStartAndSettlesLowOnceUp() {
        forSeeds("startup/heavy", v -> {
            assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(2);
            for (String pod : v.pods()) {
                double[] ws = v.workingSet(pod);
                int lastStart = -1;
                for (int m = 0; m < ws.length; m++) {
                    if (lastStart < 0 && !Double.isNaN(ws[m])) {
                        lastStart = m;
                    }
                }
                List<Integer> restarts = v.restartMinutes(pod);
                int previous = Integer.MIN_VALUE;
                for (int m : restarts) {
                    // Back-off is at most five minutes, the spike lasts two: a kill is never long after a start.
                    assertThat(Math.min(m - previous, m - Math.max(lastStart, 0))).as("%s kill at %d", pod, m).isLessThanOrEqualTo(8);
                    previous = m;
                }
                int settledFrom = restarts.isEmpty() ? 0 : restarts.get(restarts.size() - 1) + 12;
                for (int m = settledFrom; m < ws.length; m++) {
                    if (!Double.isNaN(ws[m])) {
                        assertThat(ws[m] / v.limitBytes).as("%s settled at %d", pod, m).isLessThan(0.6);
                    }
                }
            }
        });
    }

    @Test
    void periodicJobOomsOnlyWhileTheJobRuns() {
        forSeeds("job/periodic", v -> {
            assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(1);
            for (String pod : v.pods()) {
                List<java.time.Instant> jobStarts = v.bundle.consoleLogs().stream()
                        .filter(c -> pod.equals(c.replica()) && c.message().contains("scheduler: job"))
                        .filter(c -> c.message().contains("started")).map(io.oomresponder.evidence.ConsoleLine::time).toList();
                for (int m : v.restartMinutes(pod)) {
                    java.time.Instant at = v.bundle.window().start().plusSeconds(60L * m);
                    assertThat(jobStarts).as("%s kill at %d follows a job start", pod, m)
                            .anyMatch(t -> !t.isAfter(at) && t.plusSeconds(16 * 60).isAfter(at));
                }
            }
        });
    }

    @Test
    void nonMemoryCrashesKeepMemoryWellBelowTheLimit() {
        for (String scenario : List.of("other/apperror", "other/probe", "other/backoff", "other/exit137-no-oom")) {
            forSeeds(scenario, v -> {
                assertThat(v.totalRestarts()).isGreaterThanOrEqualTo(2);
                assertThat(v.maxWorkingSetFraction()).isLessThan(0.7);
                assertThat(v.oomLogLines()).isZero();
            });
        }
    }

    @Test
    void nonMemoryCrashesLeaveTheirOwnTraces() {
        forSeeds("other/probe", v -> assertThat(v.bundle.systemLogs()).anyMatch(e -> "ProbeFailed".equals(e.reason())));
        forSeeds("other/backoff", v -> assertThat(v.bundle.systemLogs()).anyMatch(e -> "ContainerBackOff".equals(e.reason())));
        forSeeds("other/exit137-no-oom", v -> assertThat(v.bundle.systemLogs())
                .anyMatch(e -> e.message().contains("exit code '137'") && !e.message().contains("OOMKilled")));
        forSeeds("other/apperror", v -> assertThat(v.bundle.systemLogs()).anyMatch(e -> e.message().contains("exit code '1'")));
    }

    @Test
    void missingMetricsLeaveAGapAndNoSeries() {
        forSeeds("nodata/metrics-missing", v -> {
            assertThat(v.bundle.metrics()).isEmpty();
            assertThat(v.bundle.gaps()).singleElement().satisfies(g -> assertThat(g.source()).isEqualTo("metrics"));
            assertThat(v.bundle.replicas()).isNotEmpty();
        });
    }

    @Test
    void healthyAppNeverRestartsAndStaysWellBelowTheLimit() {
        forSeeds("healthy", v -> {
            assertThat(v.totalRestarts()).isZero();
            assertThat(v.bundle.replicas()).allSatisfy(r -> assertThat(r.totalRestarts()).isZero());
            assertThat(v.bundle.systemLogs()).noneMatch(e -> "ContainerTerminated".equals(e.reason()));
            assertThat(v.maxWorkingSetFraction()).isLessThan(0.85);
        });
    }

    @Test
    void someOomKillsLeaveNoSystemLogLineButAlwaysCountAsRestarts() {
        int bundlesMissingLines = 0;
        int bundlesWithLines = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            BundleView v = new BundleView(ScenarioCatalog.generate("leak/classic", seed).truth());
            assertThat(v.oomLogLines()).isLessThanOrEqualTo(v.totalRestarts());
            bundlesMissingLines += v.oomLogLines() < v.totalRestarts() ? 1 : 0;
            bundlesWithLines += v.oomLogLines() > 0 ? 1 : 0;
        }
        assertThat(bundlesMissingLines).isGreaterThan(5);
        assertThat(bundlesWithLines).isGreaterThan(SEEDS / 2);
    }

    static double mean(double[] v, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int m = from; m < to; m++) {
            if (!Double.isNaN(v[m])) {
                sum += v[m];
                n++;
            }
        }
        return sum / n;
    }

    /** Working set against requests per replica, leaving out the minutes around each restart. */
    static double trafficCorrelation(BundleView v) {
        List<double[]> ws = new ArrayList<>();
        List<double[]> req = new ArrayList<>();
        List<boolean[]> keep = new ArrayList<>();
        for (String pod : v.pods()) {
            double[] w = v.workingSet(pod);
            boolean[] k = new boolean[w.length];
            java.util.Arrays.fill(k, true);
            for (int m : v.restartMinutes(pod)) {
                for (int j = m; j < Math.min(w.length, m + 4); j++) {
                    k[j] = false;
                }
            }
            ws.add(w);
            req.add(v.requests(pod));
            keep.add(k);
        }
        return BundleView.correlation(ws, req, keep);
    }
}
