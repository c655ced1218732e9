package io.oomresponder.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import io.oomresponder.simulator.SimulatedIncident;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bench}: measures the diagnosis. {@code accuracy} prints the confusion matrix on a labelled
 * corpus (a directory written by {@code simulate --corpus}, or generated in memory from a seed)
 * and on the shared labelled examples; {@code diagnosis-speed} times the 7-day / 30-replica bundle
 * in a warm JVM and the throughput on a corpus.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures diagnosis accuracy and speed, cold start, evidence gathering, alert storms and memory footprint.",
        subcommands = {BenchCommand.Accuracy.class, BenchSensitivity.class, BenchCommand.Speed.class, BenchColdStart.class, BenchIntakeColdStart.class, BenchGather.class,
                BenchStorm.class, BenchFootprint.class, BenchScale.class, BenchFaults.class, BenchFlood.class, BenchRecord.class})
public final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A labelled bundle. */
    record Labelled(String name, String scenario, Diagnosis.Verdict expected, Diagnosis.Cause expectedCause, boolean causeLabelled,
                    EvidenceBundle bundle) {
    }

    /** Bundles of a corpus directory with its labels.json, in file-name order. */
    static List<Labelled> readCorpus(Path dir) throws IOException {
        JsonNode labels = Json.mapper().readTree(dir.resolve("labels.json").toFile());
        List<String> names = new ArrayList<>();
        labels.fieldNames().forEachRemaining(names::add);
        names.sort(String::compareTo);
        return names.parallelStream().map(n -> {
            JsonNode l = labels.get(n);
            String cause = l.path("cause").asText(null);
            return new Labelled(n, l.path("scenario").asText(null), Diagnosis.Verdict.valueOf(l.path("verdict").asText()),
                    cause == null || cause.isBlank() || "null".equals(cause) ? null : Diagnosis.Cause.valueOf(cause),
                    l.has("cause"), EvidenceBundleFile.read(dir.resolve(n)));
        }).toList();
    }

    /** A corpus generated in memory exactly as {@code simulate --corpus} spreads it over the families. */
    static List<Labelled> generate(int count, long seed) {
        Map<String, List<Scenario>> byFamily = new LinkedHashMap<>();
        for (Scenario s : ScenarioCatalog.scenarios()) {
            byFamily.computeIfAbsent(s.family(), f -> new ArrayList<>()).add(s);
        }
        List<List<Scenario>> families = List.copyOf(byFamily.values());
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            idx.add(i);
        }
        return idx.parallelStream().map(i -> {
            List<Scenario> family = families.get(i % families.size());
            Scenario s = family.get((i / families.size()) % family.size());
            return labelled(s, seed, i);
        }).toList();
    }

    /** The i-th bundle of a generated corpus: scenario s at seed + i, named as {@code simulate --corpus} names it. */
    private static Labelled labelled(Scenario s, long seed, int i) {
        SimulatedIncident inc = ScenarioCatalog.generate(s, seed + i, ScenarioOverrides.NONE);
        return new Labelled(String.format(Locale.ROOT, "%04d-%s-s%d", i + 1, s.scenarioName().replace('/', '-'), seed + i),
                s.scenarioName(), inc.label().verdict(), inc.label().cause(), true, inc.truth());
    }

    /** {@code perScenario} bundles of every scenario (seeds {@code seed}, {@code seed + 1}, ... over the whole corpus). */
    static List<Labelled> generatePerScenario(int perScenario, long seed) {
        List<Scenario> all = ScenarioCatalog.scenarios();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < perScenario * all.size(); i++) {
            idx.add(i);
        }
        return idx.parallelStream().map(i -> {
            Scenario s = all.get(i % all.size());
            return labelled(s, seed, i);
        }).toList();
    }

    /** {@code bench accuracy}. */
    @Command(name = "accuracy", mixinStandardHelpOptions = true,
            description = "Confusion matrix and per-class accuracy on a labelled corpus and the shared examples.")
    static final class Accuracy implements Callable<Integer> {
        @Option(names = "--corpus", paramLabel = "DIR", description = "A corpus written by 'simulate --corpus' (with labels.json).")
        Path corpus;
        @Option(names = "--count", defaultValue = "300", description = "Bundles to generate when no --corpus (default ${DEFAULT-VALUE}).")
        int count;
        @Option(names = "--seed", defaultValue = "424242", description = "Seed of the generated corpus (default ${DEFAULT-VALUE}).")
        long seed;
        @Option(names = "--examples", paramLabel = "DIR", description = "Labelled examples (default: src/test/resources/evidence-bundle/examples when run from a clone).")
        Path examples;
        @Option(names = "--per-scenario", paramLabel = "N", description = "Generate N bundles of every scenario instead of --count spread over the families.")
        Integer perScenario;
        @Option(names = "--misses", description = "List every wrongly diagnosed bundle.")
        boolean showMisses;

        @Override
        public Integer call() throws IOException {
            List<Labelled> set;
            String what;
            if (corpus != null) {
                set = readCorpus(corpus);
                what = "corpus " + corpus;
            } else if (perScenario != null) {
                set = generatePerScenario(perScenario, seed);
                what = "generated corpus: " + perScenario + " bundles of each of " + ScenarioCatalog.scenarios().size()
                        + " scenarios, seeds " + seed + ".." + (seed + set.size() - 1);
            } else {
                set = generate(count, seed);
                what = "generated corpus: " + count + " bundles, seed " + seed;
            }
            Diagnoser d = new Diagnoser();
            AccuracyReport report = evaluate(d, set);
            System.out.println("== " + what);
            System.out.print(report.render());
            if (showMisses) {
                report.misses().forEach(m -> System.out.println("  miss: " + m));
            }
            Path ex = examples != null ? examples : Path.of("src", "test", "resources", "evidence-bundle", "examples");
            if (Files.isRegularFile(ex.resolve("labels.json"))) {
                AccuracyReport er = evaluate(d, readCorpus(ex));
                System.out.println("== labelled examples " + ex);
                System.out.print(er.render());
                er.misses().forEach(m -> System.out.println("  miss: " + m));
            } else {
                System.out.println("== labelled examples not found at " + ex + " (use --examples DIR)");
            }
            return 0;
        }

        static AccuracyReport evaluate(Diagnoser d, List<Labelled> set) {
            List<Diagnosis> got = set.parallelStream().map(l -> d.diagnose(l.bundle())).toList();
            AccuracyReport r = new AccuracyReport();
            for (int i = 0; i < set.size(); i++) {
                Labelled l = set.get(i);
                Diagnosis g = got.get(i);
                // INSUFFICIENT_EVIDENCE states no confidence in a verdict (0): it stays out of the reliability table.
                double stated = g.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE ? Double.NaN : g.confidence();
                if (l.causeLabelled()) {
                    r.add(l.name(), l.scenario(), l.expected(), g.verdict(), l.expectedCause(),
                            g.causes().isEmpty() ? null : g.causes().get(0), stated);
                } else {
                    r.add(l.name(), l.scenario(), l.expected(), g.verdict(), stated);
                }
                r.addAdvice(l.name(), l.scenario(), AdviceChecks.violations(l.bundle(), g));
            }
            return r;
        }
    }

    /** {@code bench diagnosis-speed}. */
    @Command(name = "diagnosis-speed", mixinStandardHelpOptions = true,
            description = "Times the diagnosis of a 7-day, 30-replica, 1-minute bundle in a warm JVM, and bundles/second on a corpus.")
    static final class Speed implements Callable<Integer> {
        /** Runs before timing, so the JIT has compiled the hot loops. */
        static final int WARM_UP_RUNS = 15;
        static final int TIMED_RUNS = 15;

        @Option(names = "--corpus", paramLabel = "DIR", description = "Corpus for the throughput figure (default: 100 generated bundles, seed 424242).")
        Path corpus;
        @Option(names = "--scenario", defaultValue = "leak/many-replicas", description = "Scenario of the big bundle (default ${DEFAULT-VALUE}).")
        String scenario;

        @Override
        public Integer call() throws IOException {
            SimulatedIncident big = ScenarioCatalog.generate(scenario, 7, new ScenarioOverrides(Duration.ofDays(7), 30));
            EvidenceBundle bundle = big.truth();
            long points = bundle.metrics().stream().mapToLong(m -> m.points().size()).sum();
            long wsPoints = bundle.series("WorkingSetBytes").stream().mapToLong(m -> m.points().size()).sum();
            Diagnoser d = new Diagnoser();
            Diagnosis.Verdict v = null;
            for (int i = 0; i < WARM_UP_RUNS; i++) {
                v = d.diagnose(bundle).verdict();
            }
            long[] ns = new long[TIMED_RUNS];
            long[] cpu = new long[TIMED_RUNS];
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int i = 0; i < TIMED_RUNS; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                v = d.diagnose(bundle).verdict();
                ns[i] = System.nanoTime() - t0;
                cpu[i] = threads.getCurrentThreadCpuTime() - c0;
            }
            Arrays.sort(ns);
            Arrays.sort(cpu);
            System.out.printf(Locale.ROOT, "7-day window, 30 replicas, 1-minute grain (%s): %d metric points (%d working-set points)%n",
                    scenario, points, wsPoints);
            System.out.printf(Locale.ROOT, "diagnosis time, warm JVM, %d runs after %d warm-up: median %.1f ms, min %.1f ms, max %.1f ms (verdict %s)%n",
                    TIMED_RUNS, WARM_UP_RUNS, ns[TIMED_RUNS / 2] / 1e6, ns[0] / 1e6, ns[TIMED_RUNS - 1] / 1e6, v);
            // CPU time of the diagnosing thread: what the diagnosis costs, without the waits of a busy machine.
            System.out.printf(Locale.ROOT, "diagnosis CPU time of the thread: median %.1f ms, min %.1f ms (wall time above includes waiting for a core; load average %.1f)%n",
                    cpu[TIMED_RUNS / 2] / 1e6, cpu[0] / 1e6, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            List<Labelled> set = corpus != null ? readCorpus(corpus) : generate(100, 424242);
            for (Labelled l : set) {
                d.diagnose(l.bundle());
            }
            long t0 = System.nanoTime();
            for (Labelled l : set) {
                d.diagnose(l.bundle());
            }
            double seqSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            set.parallelStream().forEach(l -> d.diagnose(l.bundle()));
            double parSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "corpus of %d bundles (already parsed): %.0f bundles/s on one thread, %.0f bundles/s in parallel (%d cores)%n",
                    set.size(), set.size() / seqSeconds, set.size() / parSeconds, Runtime.getRuntime().availableProcessors());
            return 0;
        }
    }

}
