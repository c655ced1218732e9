package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.FakeAzure;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 1 end to end: the simulator's incidents replayed through the fake Azure with the
 * real SDK clients. The queue's backlog is measured from what the gather brought (not from the
 * truth bundle), so a buffer reads as buffering because its queue grew; a leaking app whose
 * unrelated queue holds steady stays a leak.
 */
class QueueBacklogEndToEndTest {

    private final Diagnoser diagnoser = new Diagnoser();

    private static EvidenceBundle gathered(FakeAzure fake, EvidenceBundle truth) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        // The replay reads the incident's own window (the simulator serves nothing before it), so what
        // is compared is the gathered evidence against the truth, not two windows.
        Duration lookback = Duration.between(truth.window().start(), truth.alert().firedAt());
        s.put("EVIDENCE_LOOKBACK", lookback.toString());
        s.put("EVIDENCE_MAX_LOOKBACK", lookback.toString());
        Clock clock = Clock.fixed(truth.window().end(), ZoneOffset.UTC);
        try (AzureEvidenceSource source = AzureEvidenceSource.fromSettings(new Settings(s), clock)) {
            return source.gather(truth.alert());
        }
    }

    private static String backlogMetric(Diagnosis d) {
        return d.steps().stream().filter(x -> x.node().equals("G")).findFirst().map(DecisionStep::numbers)
                .map(n -> (String) n.get("queueBacklogMetric")).orElse(null);
    }

    private static String queueType(EvidenceBundle b) {
        return b.app().scale() == null ? null : b.app().scale().rules().stream().map(ScaleSettings.Rule::type)
                .filter(t -> t != null && t.startsWith("azure-")).findFirst().orElse(null);
    }

    @Test
    void aSimulatedBufferReplayedThroughAzureHasItsBacklogMeasuredFromTheGather() {
        List<EvidenceBundle> truths = new ArrayList<>();
        for (long seed = 870_000; seed < 870_012; seed++) {
            truths.add(ScenarioCatalog.generate("buffer/unbounded", seed).truth());
        }
        int measured = 0;
        List<String> differ = new ArrayList<>();
        try (FakeAzure fake = FakeAzure.start(truths)) {
            for (EvidenceBundle truth : truths) {
                EvidenceBundle b = gathered(fake, fake.world().app(truth.app().resourceId()).orElseThrow());
                assertThat(b.gaps()).as(truth.app().name()).isEmpty();
                Diagnosis fromTruth = diagnoser.diagnose(truth);
                Diagnosis fromAzure = diagnoser.diagnose(b);
                if (backlogMetric(fromTruth) == null) {
                    continue;
                }
                measured++;
                if (!backlogMetric(fromTruth).equals(backlogMetric(fromAzure)) || fromTruth.causes().get(0) != fromAzure.causes().get(0)) {
                    differ.add(truth.app().name() + " (" + queueType(truth) + "): truth " + backlogMetric(fromTruth) + "/" + fromTruth.causes().get(0)
                            + ", gathered " + backlogMetric(fromAzure) + "/" + fromAzure.causes().get(0));
                }
                if ("ActiveMessages".equals(backlogMetric(fromAzure))) {
                    assertThat(fromAzure.causes().get(0)).as(truth.app().name()).isEqualTo(Diagnosis.Cause.UNBOUNDED_BUFFERING);
                }
            }
        }
        assertThat(measured).as("buffers whose queue backlog the truth measures, among 12 seeds").isGreaterThanOrEqualTo(4);
        assertThat(differ).as("the gathered backlog reads as the truth's").isEmpty();
    }

    @Test
    void aLeakWhoseUnrelatedQueueHoldsSteadyStaysALeakWithItsBacklogMeasured() {
        List<EvidenceBundle> truths = new ArrayList<>();
        for (long seed = 871_000; seed < 871_060 && truths.size() < 6; seed++) {
            EvidenceBundle t = ScenarioCatalog.generate("leak/classic", seed).truth();
            String type = queueType(t);
            if ("azure-servicebus".equals(type) || "azure-eventhub".equals(type)) {
                truths.add(t);
            }
        }
        assertThat(truths).as("leaks with a Service Bus or Event Hubs rule").hasSizeGreaterThanOrEqualTo(4);
        int leaks = 0;
        try (FakeAzure fake = FakeAzure.start(truths)) {
            for (EvidenceBundle truth : truths) {
                EvidenceBundle b = gathered(fake, fake.world().app(truth.app().resourceId()).orElseThrow());
                Diagnosis fromTruth = diagnoser.diagnose(truth);
                Diagnosis fromAzure = diagnoser.diagnose(b);
                assertThat(b.gaps()).as(truth.app().name()).isEmpty();
                assertThat(backlogMetric(fromAzure)).as(truth.app().name() + ": the backlog was gathered and measured").isNotNull();
                if (fromTruth.causes().get(0) == Diagnosis.Cause.APPLICATION_LEAK) {
                    leaks++;
                    assertThat(fromAzure.causes().get(0)).as(truth.app().name()).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
                }
            }
        }
        assertThat(leaks).isGreaterThanOrEqualTo(3);
    }
}
