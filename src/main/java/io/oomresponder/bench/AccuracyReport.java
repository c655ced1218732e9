package io.oomresponder.bench;

import io.oomresponder.diagnosis.Diagnosis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A confusion matrix of expected against diagnosed verdicts, with per-class and overall accuracy,
 * the accuracy of the primary (first) cause, and a reliability table: cases grouped by the
 * confidence the diagnosis stated, with the share of them whose verdict was right.
 */
public final class AccuracyReport {

    private final Map<Diagnosis.Verdict, Map<Diagnosis.Verdict, Integer>> matrix = new EnumMap<>(Diagnosis.Verdict.class);
    private final List<String> misses = new ArrayList<>();
    private final Map<String, int[]> byScenario = new java.util.TreeMap<>();

    /** Upper bounds of the confidence groups of the reliability table. */
    static final double[] CONFIDENCE_BOUNDS = {0.5, 0.6, 0.7, 0.8, 0.9, 1.0001};
    private final int[] binCases = new int[CONFIDENCE_BOUNDS.length];
    private final int[] binRight = new int[CONFIDENCE_BOUNDS.length];
    private final double[] binStated = new double[CONFIDENCE_BOUNDS.length];
    private int causeRight;
    private int causeTotal;
    private final List<String> causeMisses = new ArrayList<>();

    void add(String name, String scenario, Diagnosis.Verdict expected, Diagnosis.Verdict got) {
        add(name, scenario, expected, got, Double.NaN);
    }

    /** One case without a cause label. */
    void add(String name, String scenario, Diagnosis.Verdict expected, Diagnosis.Verdict got, double confidence) {
        add(name, scenario, expected, got, null, null, confidence);
        causeTotal--;
        if (expected == got) {
            causeRight--;
        }
    }

    /** One case with its primary cause (null: none expected / none given) and stated confidence (NaN: none). */
    void add(String name, String scenario, Diagnosis.Verdict expected, Diagnosis.Verdict got, Diagnosis.Cause expectedCause,
             Diagnosis.Cause gotCause, double confidence) {
        causeTotal++;
        if (expected == got && expectedCause == gotCause) {
            causeRight++;
        } else if (expected == got) {
            causeMisses.add(name + " (" + scenario + "): cause expected " + expectedCause + ", got " + gotCause);
        }
        if (!Double.isNaN(confidence)) {
            int b = 0;
            while (confidence >= CONFIDENCE_BOUNDS[b] && b < CONFIDENCE_BOUNDS.length - 1) {
                b++;
            }
            binCases[b]++;
            binStated[b] += confidence;
            binRight[b] += expected == got ? 1 : 0;
        }
        matrix.computeIfAbsent(expected, k -> new EnumMap<>(Diagnosis.Verdict.class)).merge(got, 1, Integer::sum);
        int[] s = byScenario.computeIfAbsent(scenario == null ? "?" : scenario, k -> new int[2]);
        s[1]++;
        if (expected == got) {
            s[0]++;
        } else {
            misses.add(name + " (" + scenario + "): expected " + expected + ", got " + got);
        }
    }

    /** Advice checks (issue 27 point 4, {@link AdviceChecks}): cases whose advice broke no rule, out of all checked. */
    private int adviceRight;
    private int adviceTotal;
    private final List<String> adviceMisses = new ArrayList<>();

    /** One case's advice: the rules it broke (empty: it passed). */
    void addAdvice(String name, String scenario, List<String> violations) {
        adviceTotal++;
        if (violations.isEmpty()) {
            adviceRight++;
        } else {
            adviceMisses.add(name + " (" + scenario + "): advice: " + String.join("; ", violations));
        }
    }

    /** Share of cases whose advice keeps every rule, NaN when none was checked. */
    double adviceAccuracy() {
        return adviceTotal == 0 ? Double.NaN : adviceRight / (double) adviceTotal;
    }

    int total() {
        return matrix.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
    }

    int correct() {
        int c = 0;
        for (var e : matrix.entrySet()) {
            c += e.getValue().getOrDefault(e.getKey(), 0);
        }
        return c;
    }

    double overall() {
        return total() == 0 ? Double.NaN : correct() / (double) total();
    }

    /** Accuracy (recall) of one expected class, NaN when absent. */
    double classAccuracy(Diagnosis.Verdict v) {
        Map<Diagnosis.Verdict, Integer> row = matrix.get(v);
        if (row == null) {
            return Double.NaN;
        }
        int n = row.values().stream().mapToInt(Integer::intValue).sum();
        return row.getOrDefault(v, 0) / (double) n;
    }

    /** Leaks diagnosed as OTHER_CRASH_CAUSE (must be zero). */
    int leaksCalledOther() {
        Map<Diagnosis.Verdict, Integer> row = matrix.get(Diagnosis.Verdict.LEAK_SUSPECTED);
        return row == null ? 0 : row.getOrDefault(Diagnosis.Verdict.OTHER_CRASH_CAUSE, 0);
    }

    List<String> misses() {
        List<String> all = new ArrayList<>(misses);
        all.addAll(causeMisses);
        all.addAll(adviceMisses);
        return all;
    }

    /** Share of cases whose verdict and primary cause are both right, NaN when no causes were scored. */
    double causeAccuracy() {
        return causeTotal <= 0 ? Double.NaN : causeRight / (double) causeTotal;
    }

    String render() {
        StringBuilder s = new StringBuilder();
        Diagnosis.Verdict[] vs = Diagnosis.Verdict.values();
        s.append(String.format(Locale.ROOT, "%-24s", "expected \\ diagnosed"));
        for (Diagnosis.Verdict v : vs) {
            s.append(String.format(Locale.ROOT, "%22s", v.name()));
        }
        s.append(String.format(Locale.ROOT, "%10s%n", "accuracy"));
        for (Diagnosis.Verdict e : vs) {
            Map<Diagnosis.Verdict, Integer> row = matrix.get(e);
            if (row == null) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "%-24s", e.name()));
            for (Diagnosis.Verdict g : vs) {
                s.append(String.format(Locale.ROOT, "%22d", row.getOrDefault(g, 0)));
            }
            s.append(String.format(Locale.ROOT, "%9.1f%%%n", classAccuracy(e) * 100));
        }
        s.append(String.format(Locale.ROOT, "overall: %d/%d = %.1f%%; leaks called OTHER_CRASH_CAUSE: %d%n", correct(), total(),
                overall() * 100, leaksCalledOther()));
        if (causeTotal > 0) {
            s.append(String.format(Locale.ROOT, "primary cause (verdict and first cause right): %d/%d = %.1f%%%n", causeRight, causeTotal,
                    causeAccuracy() * 100));
        }
        if (adviceTotal > 0) {
            s.append(String.format(Locale.ROOT, "advice checks (advice follows the cause's numbers): %d/%d = %.1f%%%n", adviceRight, adviceTotal,
                    adviceAccuracy() * 100));
        }
        if (java.util.Arrays.stream(binCases).sum() > 0) {
            s.append("reliability (stated confidence vs observed verdict accuracy):\n");
            s.append(String.format(Locale.ROOT, "  %-12s %6s %14s %10s%n", "confidence", "cases", "mean stated", "observed"));
            double lo = 0;
            for (int b = 0; b < binCases.length; b++) {
                double hi = Math.min(1, CONFIDENCE_BOUNDS[b]);
                if (binCases[b] > 0) {
                    s.append(String.format(Locale.ROOT, "  %.1f–%.1f %s %6d %14.2f %9.1f%%%n", lo, hi, hi >= 1 ? "]" : ")", binCases[b],
                            binStated[b] / binCases[b], 100.0 * binRight[b] / binCases[b]));
                }
                lo = hi;
            }
        }
        s.append("per scenario:\n");
        byScenario.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-28s %3d/%-3d %6.1f%%%n", k, v[0], v[1], 100.0 * v[0] / v[1])));
        return s.toString();
    }
}
