package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import io.oomresponder.diagnosis.IncidentState;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.FakeAzure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The note's impact line end to end: the collector asks for Requests split by statusCodeCategory,
 * the simulator answers from its app-wide status view, and {@link IncidentState} reads the 5xx share
 * around the restarts from what was gathered, the same as from the truth.
 */
class RequestsByStatusTest {

    private static EvidenceBundle truth;
    private static FakeAzure fake;

    @BeforeAll
    static void start() {
        truth = ScenarioCatalog.generate("leak/classic", 9).truth();
        fake = FakeAzure.start(List.of(truth));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void theStatusSplitIsGatheredAndTheImpactReadFromIt() {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        Clock clock = Clock.fixed(truth.alert().firedAt().plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
        try (AzureEvidenceSource source = AzureEvidenceSource.fromSettings(new Settings(s), clock)) {
            EvidenceBundle b = source.gather(truth.alert());

            assertThat(b.gaps()).isEmpty();
            List<MetricSeries> byStatus = b.series("Requests").stream().filter(x -> x.dimensions().containsKey("statusCodeCategory")).toList();
            assertThat(byStatus).as("one app-wide series per status class with requests").isNotEmpty()
                    .allSatisfy(x -> assertThat(x.dimensions()).containsOnlyKeys("statusCodeCategory"))
                    .extracting(x -> x.dimensions().get("statusCodeCategory")).contains("2xx").doesNotHaveDuplicates();
            assertThat(b.series("Requests")).as("the per-replica view is still there")
                    .anyMatch(x -> x.podName() != null && !x.dimensions().containsKey("statusCodeCategory"));

            IncidentState.Impact gathered = IncidentState.of(b).impact();
            assertThat(gathered.statusSplitMeasured()).isTrue();
            assertThat(gathered.restartMinutes()).isPositive();
            assertThat(gathered.serverErrorShareBefore()).isNotNull().isBetween(0.0, 1.0);
            assertThat(gathered.serverErrorShareDuring()).isNotNull().isBetween(0.0, 1.0);
            assertThat(gathered.requestsMissed()).isNotNull().isNotNegative();
        }
    }

    @Test
    void aSplitByReplicaAloneNeverCountsTheStatusViewTwice() {
        IncidentState withStatus = IncidentState.of(truth);
        EvidenceBundle withoutStatus = new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), truth.app(), truth.replicas(),
                truth.metrics().stream().filter(x -> !x.dimensions().containsKey("statusCodeCategory")).toList(),
                truth.systemLogs(), truth.consoleLogs(), truth.gaps());
        IncidentState without = IncidentState.of(withoutStatus);

        assertThat(without.impact().statusSplitMeasured()).isFalse();
        assertThat(without.impact().serverErrorShareBefore()).as("not measured, never 0").isNull();
        // The requests missed come from the per-replica view, the same with or without the status view.
        assertThat(without.impact().requestsMissed()).isEqualTo(withStatus.impact().requestsMissed());
    }
}
