package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 5: the verdict and the first cause must not move when nothing that matters moves
 * (names, time, memory units, unrelated metadata; {@link BundleTransforms#invariances()}). Property
 * tests over every simulator scenario (a fresh seed each; `bench accuracy` covers more seeds) and the labelled examples: transform,
 * diagnose both, compare. The negative control (memory flattened) must be caught, which shows the
 * comparison can fail.
 */
class InvarianceTest {

    /** Seeds not used while tuning (docs/diagnosis.md lists the tuning ranges). */
    static final long SEED_BASE = 830_000;
    static final int SEEDS_PER_SCENARIO = 1;

    private final Diagnoser diagnoser = new Diagnoser();

    record Case(String name, EvidenceBundle bundle, Diagnosis diagnosis) {
    }

    List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (String scenario : ScenarioCatalog.names()) {
            for (int i = 0; i < SEEDS_PER_SCENARIO; i++) {
                long seed = SEED_BASE + 1000L * i + out.size();
                EvidenceBundle b = ScenarioCatalog.generate(scenario, seed).truth();
                out.add(new Case(scenario + " seed " + seed, b, diagnoser.diagnose(b)));
            }
        }
        Path examples = Path.of("src/test/resources/evidence-bundle/examples");
        try (Stream<Path> files = Files.list(examples)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("labels.json")).sorted().toList()) {
                EvidenceBundle b = EvidenceBundleFile.read(f);
                out.add(new Case("example " + f.getFileName(), b, diagnoser.diagnose(b)));
            }
        }
        return out;
    }

    /** The cases whose verdict or first cause the transform moved, one line each. */
    List<String> violations(List<Case> cases, BundleTransforms.Transform t) {
        List<String> out = new ArrayList<>();
        for (Case c : cases) {
            Diagnosis before = c.diagnosis();
            Diagnosis after = diagnoser.diagnose(t.apply().apply(c.bundle()));
            if (before.verdict() != after.verdict() || !first(before).equals(first(after))) {
                out.add(t.name() + ": " + c.name() + ": " + before.verdict() + "/" + first(before) + " -> " + after.verdict() + "/" + first(after));
            }
        }
        return out;
    }

    private static String first(Diagnosis d) {
        return d.causes().isEmpty() ? "-" : d.causes().get(0).name();
    }

    @Test
    void neitherVerdictNorFirstCauseMovesWhenNothingThatMattersMoves() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(ScenarioCatalog.names().size() * SEEDS_PER_SCENARIO + 3);
        List<String> all = new ArrayList<>();
        for (BundleTransforms.Transform t : BundleTransforms.invariances()) {
            all.addAll(violations(cases, t));
        }
        assertThat(all).as("verdict or first cause moved").isEmpty();
    }

    @Test
    void theNegativeControlMovesTheDiagnosisSoTheComparisonCanFail() throws IOException {
        List<Case> cases = cases().stream()
                .filter(c -> c.diagnosis().verdict() == Diagnosis.Verdict.LEAK_SUSPECTED
                        || c.diagnosis().verdict() == Diagnosis.Verdict.PEAK_DEMAND)
                .toList();
        assertThat(cases).isNotEmpty();
        List<String> moved = violations(cases, BundleTransforms.negativeControl());
        // Flattened memory is no longer a leak or peak demand: every one of these cases must move.
        assertThat(moved).hasSize(cases.size());
    }
}
