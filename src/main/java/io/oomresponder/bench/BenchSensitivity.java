package io.oomresponder.bench;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.DiagnosisThresholds;
import io.oomresponder.simulator.ScenarioCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code bench sensitivity}: how much the verdict and the first cause hinge on each threshold whose
 * value is a choice ({@link DiagnosisThresholds}). It diagnoses one generated corpus with the
 * documented values, then again with each threshold alone moved down and up (×0.8 and ×1.2 by
 * default; a count moves by at least one), and prints verdict and first-cause accuracy for each, the
 * bundles whose verdict or first cause moved, and whether the threshold <em>hinges</em>: either
 * accuracy falls more than {@link #HINGE_POINTS} percentage points below the documented values'.
 */
@Command(name = "sensitivity", mixinStandardHelpOptions = true,
        description = "Verdict and first-cause accuracy with each chosen diagnosis threshold moved down and up (default ×0.8 / ×1.2).")
final class BenchSensitivity implements Callable<Integer> {

    /** A threshold hinges when a move costs more than this many percentage points of either accuracy. */
    static final double HINGE_POINTS = 1.0;

    /** The constant each threshold's documented value comes from (docs/diagnosis.md names them so). */
    static final Map<String, String> CONSTANTS = Map.ofEntries(
            Map.entry("minWorkingSetSamples", "WorkingSetNode.MIN_WORKING_SET_SAMPLES"),
            Map.entry("sustainedNearLimitMinutes", "GrowthTowardLimitNode.SUSTAINED_NEAR_LIMIT_MINUTES"),
            Map.entry("earlyNearLimit", "GrowthTowardLimitNode.EARLY_NEAR_LIMIT"),
            Map.entry("sizedTightLevel", "OtherCauseNode.SIZED_TIGHT_LEVEL"),
            Map.entry("minRiseToLimit", "GrowthPattern.MIN_RISE_TO_LIMIT"),
            Map.entry("minRiseToLimitOpen", "GrowthPattern.MIN_RISE_TO_LIMIT_OPEN"),
            Map.entry("segmentEndNearLimit", "GrowthPattern.SEGMENT_END_NEAR_LIMIT_FRACTION"),
            Map.entry("minPartialTimeRho", "GrowthPattern.MIN_PARTIAL_TIME_RHO"),
            Map.entry("minTrafficRise", "GrowthPattern.MIN_TRAFFIC_RISE"),
            Map.entry("followsTrafficRho", "GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO"),
            Map.entry("backlogRho", "LeakOrBufferNode.BACKLOG_RHO"),
            Map.entry("minPinnedShare", "ScalePressure.MIN_PINNED_SHARE"),
            Map.entry("minLoadTrendRho", "ScalePressure.MIN_LOAD_TREND_RHO"),
            Map.entry("minLoadRise", "ScalePressure.MIN_LOAD_RISE"),
            Map.entry("minSpikes", "PeriodicSpikes.MIN_SPIKES"),
            Map.entry("maxIntervalVariation", "PeriodicSpikes.MAX_INTERVAL_VARIATION"),
            Map.entry("maxDutyShare", "PeriodicSpikes.MAX_DUTY_SHARE"),
            Map.entry("minBaselineShare", "PeriodicSpikes.MIN_BASELINE_SHARE"),
            Map.entry("minSpikeHeightToLimit", "PeriodicSpikes.MIN_SPIKE_HEIGHT_TO_LIMIT"));

    @Option(names = "--per-scenario", paramLabel = "N", defaultValue = "10",
            description = "Bundles of every scenario (default ${DEFAULT-VALUE}).")
    int perScenario;
    @Option(names = "--seed", defaultValue = "940000", description = "First seed of the generated corpus (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--low", defaultValue = "0.8", description = "Factor of the downward move (default ${DEFAULT-VALUE}).")
    double low;
    @Option(names = "--high", defaultValue = "1.2", description = "Factor of the upward move (default ${DEFAULT-VALUE}).")
    double high;
    @Option(names = "--only", paramLabel = "NAME", split = ",", description = "Only these thresholds (record component names), e.g. followsTrafficRho.")
    List<String> only;

    /** Verdict and first-cause accuracy of one run, and what each bundle got. */
    record Run(int verdictRight, int causeRight, int total, List<Diagnosis.Verdict> verdicts, List<Diagnosis.Cause> causes) {
        double verdictAccuracy() {
            return verdictRight / (double) total;
        }

        double causeAccuracy() {
            return causeRight / (double) total;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!(low > 0 && low < 1 && high > 1)) {
            System.err.println("oom-responder bench sensitivity: --low must be in (0, 1) and --high above 1");
            return 2;
        }
        long started = System.nanoTime();
        List<BenchCommand.Labelled> set = BenchCommand.generatePerScenario(perScenario, seed);
        System.out.printf(Locale.ROOT, "== generated corpus: %d bundles of each of %d scenarios, seeds %d..%d%n", perScenario,
                ScenarioCatalog.scenarios().size(), seed, seed + set.size() - 1);
        Run base = run(DiagnosisThresholds.DEFAULTS, set);
        System.out.printf(Locale.ROOT, "documented thresholds: verdict %s, first cause %s%n", pct(base.verdictAccuracy()), pct(base.causeAccuracy()));
        System.out.printf(Locale.ROOT, "each threshold alone moved ×%s and ×%s (a count by at least 1); it hinges when either accuracy falls more than %.0f point(s)%n%n",
                num(low), num(high), HINGE_POINTS);
        System.out.println("| threshold | documented | moved to | verdict | first cause | bundles moved | moved to | verdict | first cause | bundles moved | hinges? |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        List<String> lost = new ArrayList<>();
        int hinging = 0;
        for (RecordComponent c : DiagnosisThresholds.class.getRecordComponents()) {
            if (only != null && !only.contains(c.getName())) {
                continue;
            }
            Number documented = (Number) c.getAccessor().invoke(DiagnosisThresholds.DEFAULTS);
            StringBuilder row = new StringBuilder("| `" + CONSTANTS.getOrDefault(c.getName(), c.getName()) + "` | " + num(documented.doubleValue()));
            List<String> hinges = new ArrayList<>();
            for (double factor : new double[]{low, high}) {
                Number moved = moved(documented, factor);
                Run r = run(DiagnosisThresholds.DEFAULTS.with(c.getName(), moved), set);
                int changed = changed(base, r);
                row.append(" | ").append(num(moved.doubleValue())).append(" | ").append(pct(r.verdictAccuracy())).append(" | ")
                        .append(pct(r.causeAccuracy())).append(" | ").append(changed);
                boolean verdictDrop = (base.verdictAccuracy() - r.verdictAccuracy()) * 100 > HINGE_POINTS;
                boolean causeDrop = (base.causeAccuracy() - r.causeAccuracy()) * 100 > HINGE_POINTS;
                if (verdictDrop || causeDrop) {
                    hinges.add((factor < 1 ? "down" : "up") + " (" + (verdictDrop ? "verdict" : "first cause") + ")");
                    lost.add(c.getName() + " = " + num(moved.doubleValue()) + ": " + newMisses(set, base, r));
                }
            }
            hinging += hinges.isEmpty() ? 0 : 1;
            row.append(" | ").append(hinges.isEmpty() ? "no" : "**yes**: " + String.join(", ", hinges)).append(" |");
            System.out.println(row);
        }
        System.out.println();
        lost.forEach(l -> System.out.println("  lost when " + l));
        System.out.printf(Locale.ROOT, "%d threshold(s) hinge; %.0f s%n", hinging, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Diagnoses every bundle with these thresholds. */
    static Run run(DiagnosisThresholds thresholds, List<BenchCommand.Labelled> set) {
        Diagnoser d = new Diagnoser(thresholds);
        List<Diagnosis> got = set.parallelStream().map(l -> d.diagnose(l.bundle())).toList();
        int verdictRight = 0;
        int causeRight = 0;
        List<Diagnosis.Verdict> verdicts = new ArrayList<>();
        List<Diagnosis.Cause> causes = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            BenchCommand.Labelled l = set.get(i);
            Diagnosis g = got.get(i);
            Diagnosis.Cause first = g.causes().isEmpty() ? null : g.causes().get(0);
            verdicts.add(g.verdict());
            causes.add(first);
            if (g.verdict() == l.expected()) {
                verdictRight++;
                // First cause as bench accuracy scores it: the verdict and the first cause both right.
                if (first == l.expectedCause()) {
                    causeRight++;
                }
            }
        }
        return new Run(verdictRight, causeRight, set.size(), verdicts, causes);
    }

    /** The documented value moved by {@code factor}; a count moves by at least one and stays at least one. */
    static Number moved(Number documented, double factor) {
        if (documented instanceof Integer n) {
            int m = (int) Math.round(n * factor);
            if (m == n) {
                m = factor < 1 ? n - 1 : n + 1;
            }
            return Math.max(1, m);
        }
        return documented.doubleValue() * factor;
    }

    /** Bundles whose verdict or first cause differs between two runs. */
    static int changed(Run a, Run b) {
        int n = 0;
        for (int i = 0; i < a.total(); i++) {
            if (a.verdicts().get(i) != b.verdicts().get(i) || a.causes().get(i) != b.causes().get(i)) {
                n++;
            }
        }
        return n;
    }

    /** Scenarios of the bundles right (verdict and first cause) with the documented thresholds and wrong with the moved ones. */
    private static String newMisses(List<BenchCommand.Labelled> set, Run base, Run moved) {
        Map<String, Integer> byScenario = new TreeMap<>();
        for (int i = 0; i < set.size(); i++) {
            BenchCommand.Labelled l = set.get(i);
            boolean wasRight = base.verdicts().get(i) == l.expected() && base.causes().get(i) == l.expectedCause();
            boolean isRight = moved.verdicts().get(i) == l.expected() && moved.causes().get(i) == l.expectedCause();
            if (wasRight && !isRight) {
                byScenario.merge(l.scenario() + " → " + moved.verdicts().get(i) + "/" + moved.causes().get(i), 1, Integer::sum);
            }
        }
        Map<String, Integer> top = byScenario.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(4)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (x, y) -> x, LinkedHashMap::new));
        return top.entrySet().stream().map(e -> e.getValue() + "× " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    private static String num(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
