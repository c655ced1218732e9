package io.oomresponder.cli;

import io.oomresponder.diagnosis.Diagnosis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A confusion matrix of expected against diagnosed verdicts, with per-class and overall accuracy. */
final class AccuracyReport {

    private final Map<Diagnosis.Verdict, Map<Diagnosis.Verdict, Integer>> matrix = new EnumMap<>(Diagnosis.Verdict.class);
    private final List<String> misses = new ArrayList<>();
    private final Map<String, int[]> byScenario = new java.util.TreeMap<>();

    void add(String name, String scenario, Diagnosis.Verdict expected, Diagnosis.Verdict got) {
        matrix.computeIfAbsent(expected, k -> new EnumMap<>(Diagnosis.Verdict.class)).merge(got, 1, Integer::sum);
        int[] s = byScenario.computeIfAbsent(scenario == null ? "?" : scenario, k -> new int[2]);
        s[1]++;
        if (expected == got) {
            s[0]++;
        } else {
            misses.add(name + " (" + scenario + "): expected " + expected + ", got " + got);
        }
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
        return List.copyOf(misses);
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
        s.append("per scenario:\n");
        byScenario.forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-28s %3d/%-3d %6.1f%%%n", k, v[0], v[1], 100.0 * v[0] / v[1])));
        return s.toString();
    }
}
