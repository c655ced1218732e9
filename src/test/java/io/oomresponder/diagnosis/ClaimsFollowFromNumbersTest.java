package io.oomresponder.diagnosis;

import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: over thousands of simulated bundles of every scenario family and many seeds, no step
 * of a diagnosis says something its own numbers contradict. Each rule below reads a claim in a
 * step's sentence and checks it against the figures the same step carries, with the thresholds
 * the diagnosis names (docs/diagnosis.md, "Claims and their thresholds").
 */
class ClaimsFollowFromNumbersTest {

    /** Bundles per scenario; seeds start far from those used while tuning. */
    private static final int PER_SCENARIO = 40;
    private static final long SEED = 610_000;

    private static final Pattern A_RESTARTS = Pattern.compile("^Yes: (\\d+) restart\\(s\\)");
    private static final Pattern AFTER_N_RESTARTS = Pattern.compile("after (\\d+) restart\\(s\\) memory dropped and climbed again");
    private static final Pattern MK_Z = Pattern.compile("median Mann–Kendall Z ([-0-9.]+)");

    @Test
    void noStepAssertsWhatItsNumbersContradict() {
        List<Scenario> scenarios = ScenarioCatalog.scenarios();
        Diagnoser diagnoser = new Diagnoser();
        List<String> violations = IntStream.range(0, scenarios.size() * PER_SCENARIO).parallel().mapToObj(i -> {
            Scenario s = scenarios.get(i % scenarios.size());
            long seed = SEED + i;
            Diagnosis d = diagnoser.diagnose(ScenarioCatalog.generate(s, seed, ScenarioOverrides.NONE).truth());
            List<String> v = violations(d);
            return v.isEmpty() ? null : s.scenarioName() + " seed " + seed + ": " + v;
        }).filter(x -> x != null).toList();
        assertThat(violations).as("steps contradicting their numbers").isEmpty();
        assertThat(scenarios.size() * PER_SCENARIO).isGreaterThanOrEqualTo(1000);
    }

    /** The contradictions in one diagnosis (empty when every claim follows from its numbers). */
    static List<String> violations(Diagnosis d) {
        List<String> out = new ArrayList<>();
        if (d.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE && d.confidence() >= 0.5) {
            out.add("INSUFFICIENT_EVIDENCE with confidence " + d.confidence());
        }
        for (DecisionStep step : d.steps()) {
            String text = step.answer();
            Map<String, Object> n = step.numbers();
            String where = step.node() + " \"" + text + "\" " + n;
            if (step.node().equals("A")) {
                Matcher m = A_RESTARTS.matcher(text);
                if (m.find() && Integer.parseInt(m.group(1)) != num(n, "restartsInWindow")) {
                    out.add("restart count differs: " + where);
                }
                if (text.startsWith("No restart") && num(n, "restartsInWindow") != 0) {
                    out.add("no restart claimed: " + where);
                }
            }
            Matcher after = AFTER_N_RESTARTS.matcher(text);
            if (after.find()) {
                int k = Integer.parseInt(after.group(1));
                if (k == 0 || (n.containsKey("regrowthsAfterRestart") && k != num(n, "regrowthsAfterRestart"))) {
                    out.add("regrowth count: " + where);
                }
            }
            boolean claimsFollows = text.contains("follows traffic") || text.contains("memory followed the load");
            boolean claimsNotFollows = text.contains("does not follow traffic") || text.contains("does not clearly follow traffic")
                    || text.contains("no link to traffic");
            if (claimsFollows && !claimsNotFollows && !(num(n, "trafficCorrelation") >= GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO)) {
                out.add("'follows traffic' below the threshold: " + where);
            }
            if (claimsNotFollows && num(n, "trafficCorrelation") >= GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO) {
                out.add("'does not follow traffic' above the threshold: " + where);
            }
            if (step.node().equals("C") && (text.contains("grow significantly toward the limit")
                    || text.contains("grows significantly toward the limit")) && num(n, "segmentsGrowingTowardLimit") <= 0) {
                out.add("growth toward the limit without a growing segment: " + where);
            }
            Matcher z = MK_Z.matcher(text);
            if (z.find() && text.contains("steadily") && Double.parseDouble(z.group(1)) < GrowthPattern.Z_RISING) {
                out.add("steady growth claimed with an insignificant trend: " + where);
            }
            if (text.contains("sized tight") && !(num(n, "medianLevelToLimit") >= OtherCauseNode.SIZED_TIGHT_LEVEL)) {
                out.add("'sized tight' below the level threshold: " + where);
            }
            if (text.startsWith("Nothing on memory") && num(n, "medianLevelToLimit") >= OtherCauseNode.SIZED_TIGHT_LEVEL) {
                out.add("'nothing on memory' at a tight level: " + where);
            }
            if (step.node().equals("G") && text.startsWith("Unbounded buffering")
                    && num(n, "bufferSignals") < LeakOrBufferNode.BUFFER_SIGNALS_NEEDED) {
                out.add("buffering first with too few signals: " + where);
            }
        }
        return out;
    }

    private static double num(Map<String, Object> numbers, String key) {
        Object v = numbers.get(key);
        return v instanceof Number x ? x.doubleValue() : Double.NaN;
    }

    @Test
    void theRulesCatchTheContradictionsTheIssueNames() {
        // A rule that cannot fail proves nothing: feed it the sentences the issue quotes.
        Diagnosis flat = new Diagnosis(Diagnosis.Verdict.PEAK_DEMAND, List.of("A", "H"), 0.8, List.of(), null, List.of(
                new DecisionStep("H", "What demand exceeds the limit?", "Peak demand: memory follows traffic (Spearman ρ -0.03).",
                        Map.of("trafficCorrelation", -0.03)),
                new DecisionStep("F", "Does memory reset after a restart and then grow again?",
                        "Yes: after 0 restart(s) memory dropped and climbed again.", Map.of("regrowthsAfterRestart", 0))),
                List.of(), List.of());
        assertThat(violations(flat)).hasSize(2);
        Diagnosis none = new Diagnosis(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE, List.of("A", "B"), 0.9, List.of(), null, List.of(),
                List.of(), List.of());
        assertThat(violations(none)).hasSize(1);
    }
}
