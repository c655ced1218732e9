package io.oomresponder.evidence.azure;

import io.oomresponder.SharedFiles;
import io.oomresponder.config.Settings;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.json.Json;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
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

/** The Java metrics through the real SDK clients and the simulator: asked only of a Java app with them on. */
class JavaMetricsGatherTest {

    private static EvidenceBundle java;
    private static EvidenceBundle other;
    private static FakeAzure fake;

    @BeforeAll
    static void start() {
        java = ScenarioCatalog.generate("jvm/off-heap", 2).truth();
        other = ScenarioCatalog.generate("other/apperror", 2).truth();
        fake = FakeAzure.start(List.of(java, other));
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    private static AzureEvidenceSource source(EvidenceBundle truth) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT24H");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT24H");
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        Clock clock = Clock.fixed(truth.alert().firedAt().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        return AzureEvidenceSource.fromSettings(new Settings(s), clock);
    }

    @Test
    void aJavaAppWithJavaMetricsOnHasTheJvmSeriesWithTheReferenceDimensions() {
        EvidenceBundle truth = fake.world().app(java.app().resourceId()).orElseThrow();
        fake.clearRequests();
        try (AzureEvidenceSource source = source(truth)) {
            EvidenceBundle b = source.gather(truth.alert());

            assertThat(b.gaps()).isEmpty();
            assertThat(fake.requests(FakeEndpoint.ARM)).anySatisfy(r -> assertThat(r.rawPath()).endsWith(truth.app().name()));
            assertThat(fake.requests(FakeEndpoint.METRICS)).as("three platform groups and five Java groups")
                    .hasSize(MetricsEvidenceReader.GROUPS.size() + MetricsEvidenceReader.JAVA_GROUPS.size());
            GatheredAgainstTruth.assertMetricsMatch(truth, b);
            MetricSeries pool = b.series("JvmMemoryUsed").get(0);
            assertThat(pool.dimensions()).containsKeys("revisionName", "podName", "poolName", "poolType");
            assertThat(b.series("JvmThreadCount").get(0).dimensions()).containsKeys("daemon", "threadState");
            assertThat(b.series("JvmGcCount").get(0).dimensions()).containsKey("gcName");
            assertThat(SharedFiles.schemaErrors(Json.mapper().valueToTree(b))).isEmpty();
            // The gathered bundle diagnoses as the truth does.
            Diagnosis fromTruth = new Diagnoser().diagnose(truth);
            Diagnosis gathered = new Diagnoser().diagnose(b);
            assertThat(gathered.verdict()).isEqualTo(fromTruth.verdict());
            assertThat(gathered.causes()).isEqualTo(fromTruth.causes());
            assertThat(gathered.causes().get(0)).isEqualTo(Diagnosis.Cause.OFF_HEAP_GROWTH);
        }
    }

    @Test
    void anAppWithoutJavaMetricsIsNotAskedForThem() {
        EvidenceBundle truth = fake.world().app(other.app().resourceId()).orElseThrow();
        fake.clearRequests();
        try (AzureEvidenceSource source = source(truth)) {
            EvidenceBundle b = source.gather(truth.alert());

            assertThat(fake.requests(FakeEndpoint.METRICS)).hasSize(MetricsEvidenceReader.GROUPS.size());
            assertThat(b.metrics()).noneMatch(m -> m.name().startsWith("Jvm"));
        }
    }
}
