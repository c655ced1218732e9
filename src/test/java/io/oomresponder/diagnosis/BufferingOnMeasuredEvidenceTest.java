package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 1: buffering rests on measured evidence (the queue's own backlog, served requests
 * falling while memory rises, growth speeding up beyond its uncertainty), never on a scaler type or
 * a keyword, which may only raise a question in the note.
 */
class BufferingOnMeasuredEvidenceTest {

    private final Diagnoser diagnoser = new Diagnoser();

    @Test
    void aServiceBusRuleAndAQueueLineDoNotTurnALeakIntoBuffering() {
        List<String> flipped = new ArrayList<>();
        int leaks = 0;
        for (String scenario : List.of("leak/classic", "leak/slow", "leak/gc-wiggle", "leak/many-replicas")) {
            for (long seed = 840_000; seed < 840_010; seed++) {
                EvidenceBundle leak = ScenarioCatalog.generate(scenario, seed).truth();
                Diagnosis before = diagnoser.diagnose(leak);
                if (before.verdict() != Diagnosis.Verdict.LEAK_SUSPECTED) {
                    continue;
                }
                leaks++;
                Diagnosis after = diagnoser.diagnose(BundleTransforms.withQueueMetadata(leak));
                if (after.causes().get(0) != before.causes().get(0)) {
                    flipped.add(scenario + " seed " + seed + ": " + before.causes().get(0) + " -> " + after.causes().get(0));
                }
                // The metadata raises a question in the note instead, when nothing measured says buffering.
                if (after.causes().get(0) == Diagnosis.Cause.APPLICATION_LEAK) {
                    assertThat(after.findings()).anySatisfy(f -> assertThat(f).startsWith("Question:").contains("scales on a queue"));
                }
            }
        }
        assertThat(leaks).isGreaterThanOrEqualTo(36);
        assertThat(flipped).isEmpty();
    }

    @Test
    void bufferingStaysBufferingWithoutItsScalerAndPendingLines() {
        int buffers = 0;
        int still = 0;
        List<String> lost = new ArrayList<>();
        for (long seed = 841_000; seed < 841_030; seed++) {
            EvidenceBundle buffer = ScenarioCatalog.generate("buffer/unbounded", seed).truth();
            Diagnosis d = diagnoser.diagnose(BundleTransforms.withoutQueueEvidence(buffer));
            buffers++;
            if (d.verdict() == Diagnosis.Verdict.LEAK_SUSPECTED && d.causes().get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING) {
                still++;
            } else {
                lost.add("seed " + seed + ": " + d.steps().get(d.steps().size() - 1).answer());
            }
        }
        // Without the queue's backlog only two measured signals remain (served requests falling,
        // growth speeding up): where the simulator's served traffic barely sags, one is left.
        assertThat(still).as("still buffering: %d of %d; lost: %s", still, buffers, lost).isGreaterThanOrEqualTo(buffers * 8 / 10);
    }

    @Test
    void theQueuesOwnGrowingBacklogIsMeasuredEvidence() {
        int withBacklog = 0;
        for (long seed = 842_000; seed < 842_040; seed++) {
            EvidenceBundle buffer = ScenarioCatalog.generate("buffer/unbounded", seed).truth();
            Diagnosis d = diagnoser.diagnose(buffer);
            DecisionStep g = d.steps().stream().filter(s -> s.node().equals("G")).findFirst().orElseThrow();
            if ("ActiveMessages".equals(g.numbers().get("queueBacklogMetric"))) {
                withBacklog++;
                assertThat((Double) g.numbers().get("queueBacklogMannKendallZ")).as("seed %d", seed).isGreaterThanOrEqualTo(GrowthPattern.Z_RISING);
                assertThat(d.causes().get(0)).as("seed %d", seed).isEqualTo(Diagnosis.Cause.UNBOUNDED_BUFFERING);
            }
        }
        assertThat(withBacklog).as("Service Bus backlogs among 40 seeds").isGreaterThan(5);
    }

    @Test
    void aBacklogThatDoesNotGrowIsNoBufferingSignal() {
        for (long seed = 843_000; seed < 843_040; seed++) {
            EvidenceBundle b = ScenarioCatalog.generate("leak/classic", seed).truth();
            Diagnosis d = diagnoser.diagnose(b);
            DecisionStep g = d.steps().stream().filter(s -> s.node().equals("G")).findFirst().orElse(null);
            if (g != null && g.numbers().get("queueBacklogMetric") != null) {
                assertThat(d.causes().get(0)).as("seed %d: %s", seed, g.answer()).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
            }
        }
    }
}
