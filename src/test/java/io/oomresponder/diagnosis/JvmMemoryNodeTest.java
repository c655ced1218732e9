package io.oomresponder.diagnosis;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Node JVM on the simulator's Java cases and on hand-made variants of them. */
class JvmMemoryNodeTest {

    private static final Diagnoser DIAGNOSER = new Diagnoser();

    private static EvidenceBundle bundle(String scenario, long seed) {
        return ScenarioCatalog.generate(scenario, seed).truth();
    }

    private static DecisionStep jvmStep(Diagnosis d) {
        return d.steps().stream().filter(s -> s.node().equals(JvmMemoryNode.NODE)).findFirst().orElseThrow();
    }

    private static double number(DecisionStep s, String key) {
        return ((Number) s.numbers().get(key)).doubleValue();
    }

    private static EvidenceBundle withMetrics(EvidenceBundle b, List<MetricSeries> metrics) {
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), b.app(), b.replicas(), metrics, b.systemLogs(),
                b.consoleLogs(), b.gaps());
    }

    private static EvidenceBundle withoutJavaMetrics(EvidenceBundle b) {
        return withMetrics(b, b.metrics().stream().filter(m -> !m.name().startsWith("Jvm")).toList());
    }

    @Test
    void aHeapThatFillsBehindAFlatWorkingSetIsAHeapLeakWithItsExhaustionProjected() {
        for (long seed = 1; seed <= 6; seed++) {
            EvidenceBundle b = bundle("jvm/heap-leak", seed);
            Diagnosis d = DIAGNOSER.diagnose(b);

            assertThat(d.verdict()).as("seed %d", seed).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
            assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
            assertThat(d.path()).containsSubsequence("C", "JVM", "G", "I");
            DecisionStep jvm = jvmStep(d);
            assertThat(number(jvm, "heapFloorEndBytes")).isGreaterThan(number(jvm, "heapFloorStartBytes")
                    + HeapFloorTrend.MIN_RISE_SHARE * number(jvm, "heapLimitBytes"));
            assertThat(number(jvm, "heapFloorMannKendallZ")).isGreaterThanOrEqualTo(GrowthPattern.Z_RISING);
            // The collector works harder as the heap fills.
            assertThat(number(jvm, "gcMillisPerMinuteEnd")).isGreaterThan(number(jvm, "gcMillisPerMinuteStart"));
            assertThat(d.figures().projectedOomEarliest()).isAfter(b.window().end().minus(Duration.ofMinutes(5)));
            assertThat(d.recommendations()).anySatisfy(r -> assertThat(r.command()).contains("jcmd 1 GC.heap_dump"));
            assertThat(d.recommendations()).anySatisfy(r -> assertThat(r.command()).contains("JFR.start"));

            // The same incident without the JVM's metrics: the working set alone does not show the leak.
            assertThat(DIAGNOSER.diagnose(withoutJavaMetrics(b)).verdict()).as("seed %d without Java metrics", seed)
                    .isNotEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        }
    }

    @Test
    void growthOutsideTheHeapNamesThePartThatGrows() {
        Set<OffHeapGrowth.Part> named = EnumSet.noneOf(OffHeapGrowth.Part.class);
        for (long seed = 1; seed <= 12; seed++) {
            EvidenceBundle b = bundle("jvm/off-heap", seed);
            Diagnosis d = DIAGNOSER.diagnose(b);

            assertThat(d.verdict()).as("seed %d", seed).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
            assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.OFF_HEAP_GROWTH);
            DecisionStep jvm = jvmStep(d);
            OffHeapGrowth.Part part = OffHeapGrowth.Part.valueOf((String) jvm.numbers().get("offHeapPart"));
            named.add(part);
            // The named part is the one whose own series grows in the bundle.
            String metric = switch (part) {
                case DIRECT_BUFFERS -> "JvmBufferMemoryUsage";
                case THREADS -> "JvmThreadCount";
                case METASPACE -> "JvmMemoryUsed";
                default -> throw new AssertionError("seed " + seed + " named " + part);
            };
            assertThat(growthRatio(b, metric, part == OffHeapGrowth.Part.METASPACE ? "Metaspace" : null)).as("seed %d %s", seed, part).isGreaterThan(2);
            assertThat(Math.abs(number(jvm, "heapFloorRiseBytes"))).isLessThan(OffHeapGrowth.HEAP_FLAT_SHARE * number(jvm, "heapLimitBytes"));
            assertThat(d.recommendations()).anySatisfy(r -> assertThat(r.command()).contains("VM.native_memory"));
        }
        assertThat(named).containsExactlyInAnyOrder(OffHeapGrowth.Part.DIRECT_BUFFERS, OffHeapGrowth.Part.THREADS, OffHeapGrowth.Part.METASPACE);
    }

    /** Highest over lowest sample of a Java metric on any replica (summed over its other dimensions per time). */
    private static double growthRatio(EvidenceBundle b, String metric, String pool) {
        Map<String, Map<Instant, Double>> byPod = new LinkedHashMap<>();
        for (MetricSeries s : b.series(metric)) {
            if (pool != null && !pool.equals(s.dimensions().get("poolName")) || "Minimum".equals(s.aggregation())) {
                continue;
            }
            Map<Instant, Double> sum = byPod.computeIfAbsent(s.podName(), k -> new LinkedHashMap<>());
            for (int i = 0; i < s.size(); i++) {
                if (s.hasValue(i)) {
                    sum.merge(s.time(i), s.value(i), Double::sum);
                }
            }
        }
        double best = 0;
        for (Map<Instant, Double> sum : byPod.values()) {
            double lo = sum.values().stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = sum.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
            best = Math.max(best, hi / Math.max(1, lo));
        }
        return best;
    }

    @Test
    void aHeapSizedPastTheContainerGetsAMaxRamPercentageThatFits() {
        for (long seed = 1; seed <= 6; seed++) {
            Diagnosis d = DIAGNOSER.diagnose(bundle("jvm/heap-past-container", seed));

            assertThat(d.verdict()).as("seed %d", seed).isEqualTo(Diagnosis.Verdict.PEAK_DEMAND);
            assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.HEAP_SIZED_PAST_CONTAINER);
            DecisionStep jvm = jvmStep(d);
            double container = number(jvm, "containerLimitBytes");
            assertThat(number(jvm, "jvmNeedsToContainer")).isGreaterThan(1);
            Recommendation fit = d.recommendations().stream().filter(r -> r.title().contains("MaxRAMPercentage")).findFirst().orElseThrow();
            int percent = Integer.parseInt(fit.command().replaceAll(".*MaxRAMPercentage=(\\d+).*", "$1"));
            // The advised heap with the JVM's other memory fits the container, with room to spare.
            double advised = container * percent / 100.0;
            assertThat(advised + number(jvm, "nonHeapCommittedBytes") + number(jvm, "bufferBytes")).isLessThan(container * 0.95);
            assertThat(advised).isLessThan(number(jvm, "heapLimitBytes"));
        }
    }

    @Test
    void aJavaOutOfMemoryErrorWithoutExit137IsAMemoryProblemAtStepC() {
        for (long seed = 1; seed <= 6; seed++) {
            Diagnosis d = DIAGNOSER.diagnose(bundle("jvm/out-of-memory-error", seed));
            assertThat(d.verdict()).as("seed %d", seed).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
            assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
            assertThat(jvmStep(d).numbers().get("javaOutOfMemoryErrorMemory")).isEqualTo("HEAP");
        }
        // An app whose memory stays low and flat, exiting 1 after "OutOfMemoryError: Metaspace": no
        // OOM kill, no memory near the limit, no Java metrics. Still a memory problem, inside the JVM.
        EvidenceBundle crash = ScenarioCatalog.generate("other/apperror", 3).truth();
        List<ConsoleLine> console = new ArrayList<>(crash.consoleLogs());
        for (SystemLogEvent e : crash.systemLogs()) {
            if ("ContainerTerminated".equals(e.reason())) {
                console.add(new ConsoleLine(e.time().minusSeconds(2), e.revision(), e.replica(), "app", "stderr",
                        "Exception in thread \"main\" java.lang.OutOfMemoryError: Metaspace"));
            }
        }
        console.sort(java.util.Comparator.comparing(ConsoleLine::time));
        EvidenceBundle metaspace = new EvidenceBundle(crash.schemaVersion(), crash.alert(), crash.window(), crash.app(), crash.replicas(),
                crash.metrics(), crash.systemLogs(), console, crash.gaps());
        assertThat(DIAGNOSER.diagnose(crash).verdict()).isEqualTo(Diagnosis.Verdict.OTHER_CRASH_CAUSE);

        Diagnosis d = DIAGNOSER.diagnose(metaspace);

        assertThat(d.verdict()).isNotEqualTo(Diagnosis.Verdict.OTHER_CRASH_CAUSE);
        assertThat(d.causes()).doesNotContain(Diagnosis.Cause.NON_MEMORY_CRASH);
        DecisionStep c = d.steps().stream().filter(s -> s.node().equals("C")).findFirst().orElseThrow();
        assertThat(c.answer()).startsWith("Yes").contains("metaspace ran out").contains("not 137");
        assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.OFF_HEAP_GROWTH);
        assertThat(d.recommendations()).anySatisfy(r -> assertThat(r.command()).contains("VM.metaspace"));
    }

    @Test
    void theVerdictDoesNotMoveWithPoolSpellingsPodNamesOrTime() {
        for (String scenario : List.of("jvm/heap-leak", "jvm/off-heap", "jvm/heap-past-container", "jvm/out-of-memory-error")) {
            EvidenceBundle b = bundle(scenario, 7);
            Diagnosis before = DIAGNOSER.diagnose(b);
            // Another app, another resource group, three days later; other spellings of poolType and other collector names.
            EvidenceBundle moved = io.oomresponder.simulator.Retargeting.retarget(b,
                    "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-other/providers/Microsoft.App/containerApps/billing-jobs",
                    b.alert().firedAt().plus(Duration.ofDays(3)));
            List<MetricSeries> renamed = new ArrayList<>();
            for (MetricSeries s : moved.metrics()) {
                Map<String, String> d = new LinkedHashMap<>(s.dimensions());
                d.computeIfPresent("poolType", (k, v) -> v.toLowerCase(java.util.Locale.ROOT).contains("non") ? "Non-heap memory" : "Heap memory");
                d.computeIfPresent("gcName", (k, v) -> "collector " + Math.abs(v.hashCode()));
                renamed.add(s.withDimensions(d));
            }
            moved = withMetrics(moved, renamed);

            Diagnosis after = DIAGNOSER.diagnose(moved);

            assertThat(after.verdict()).as(scenario).isEqualTo(before.verdict());
            assertThat(after.causes()).as(scenario).isEqualTo(before.causes());
        }
    }

    @Test
    void aRunningGcCountIsReadAsCountsPerBucket() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        long[] t = new long[20];
        double[] running = new double[20];
        double[] perMinute = new double[20];
        for (int i = 0; i < 20; i++) {
            t[i] = t0.getEpochSecond() + 60L * i;
            perMinute[i] = i % 2 == 0 ? 3 : 5;
            running[i] = i == 0 ? 3 : i == 12 ? 4 : running[i - 1] + perMinute[i];
        }
        MetricSeries cumulative = JvmTimelines.perBucket(MetricSeries.ofColumns("JvmGcCount", "Total", "Count", Map.of(), t, running));
        assertThat(cumulative.hasValue(0)).isFalse();
        assertThat(cumulative.value(1)).isEqualTo(5);
        assertThat(cumulative.value(12)).as("a new JVM starts counting again").isEqualTo(4);
        assertThat(cumulative.value(13)).isEqualTo(5);
        MetricSeries deltas = MetricSeries.ofColumns("JvmGcCount", "Total", "Count", Map.of(), t, perMinute);
        assertThat(JvmTimelines.perBucket(deltas)).isSameAs(deltas);
    }
}
