package io.oomresponder.diagnosis;

import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import io.oomresponder.simulator.SimulatedIncident;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A modest simulated corpus (every scenario, fixed seeds never used while tuning) must be
 * diagnosed with per-class accuracy above the thresholds, and no leak called another
 * crash cause.
 */
class SimulatedCorpusAccuracyTest {

    /** Seeds of this test; tuning used seed 1 onward, so start far away. */
    private static final long SEED = 90_000;
    private static final int PER_SCENARIO = 5;

    @Test
    void everyClassIsDiagnosedAccurately() {
        List<Scenario> scenarios = ScenarioCatalog.scenarios();
        Diagnoser diagnoser = new Diagnoser();
        record Result(Diagnosis.Verdict expected, Diagnosis.Verdict got, String scenario) {
        }
        List<Result> results = IntStream.range(0, scenarios.size() * PER_SCENARIO).parallel().mapToObj(i -> {
            Scenario s = scenarios.get(i % scenarios.size());
            SimulatedIncident inc = ScenarioCatalog.generate(s, SEED + i, ScenarioOverrides.NONE);
            return new Result(inc.label().verdict(), diagnoser.diagnose(inc.truth()).verdict(), s.scenarioName());
        }).toList();

        Map<Diagnosis.Verdict, int[]> perClass = new EnumMap<>(Diagnosis.Verdict.class);
        for (Result r : results) {
            int[] c = perClass.computeIfAbsent(r.expected(), k -> new int[2]);
            c[1]++;
            if (r.expected() == r.got()) {
                c[0]++;
            }
        }
        assertThat(results).noneMatch(r -> r.expected() == Diagnosis.Verdict.LEAK_SUSPECTED
                && r.got() == Diagnosis.Verdict.OTHER_CRASH_CAUSE);
        perClass.forEach((v, c) -> assertThat(c[0] / (double) c[1]).as("accuracy of %s (%d/%d): misses %s", v, c[0], c[1],
                results.stream().filter(r -> r.expected() == v && r.got() != v).map(Result::scenario).toList()).isGreaterThanOrEqualTo(0.95));
        long correct = results.stream().filter(r -> r.expected() == r.got()).count();
        assertThat(correct / (double) results.size()).isGreaterThanOrEqualTo(0.97);
    }
}
