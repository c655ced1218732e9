package io.oomresponder.evidence.azure;

import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
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

/** The real SDK clients against the fake Azure over HTTPS, on the shared example bundles. */
class AzureEvidenceSourceTest {

    private static EvidenceBundle leak;
    private static EvidenceBundle appError;
    private static EvidenceBundle peak;
    private static FakeAzure fake;

    @BeforeAll
    static void startFakeAzure() {
        leak = EvidenceBundleFile.read(SharedFiles.example("leak-classic.json"));
        appError = EvidenceBundleFile.read(SharedFiles.example("other-apperror.json"));
        peak = EvidenceBundleFile.read(SharedFiles.example("peak-spike.json"));
        fake = FakeAzure.start(List.of(leak, appError, peak));
    }

    @AfterAll
    static void stopFakeAzure() {
        fake.close();
    }

    private static AzureEvidenceSource source(EvidenceBundle truth, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT24H");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT24H");
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        s.putAll(extra);
        Clock clock = Clock.fixed(truth.alert().firedAt().plus(Duration.ofHours(1)), ZoneOffset.UTC);
        return AzureEvidenceSource.fromSettings(new Settings(s), clock);
    }

    @Test
    void gatheredBundleEqualsTheTruthTheSimulatorServes() {
        for (EvidenceBundle example : List.of(appError, peak, leak)) {
            EvidenceBundle truth = fake.world().app(example.app().resourceId()).orElseThrow();
            try (AzureEvidenceSource source = source(truth, Map.of())) {
                GatheredEvidence gathered = source.gatherTimed(truth.alert());
                EvidenceBundle b = gathered.bundle();

                assertThat(b.gaps()).isEmpty();
                assertThat(b.app()).isEqualTo(truth.app());
                assertThat(b.replicas()).containsExactlyInAnyOrderElementsOf(truth.replicas());
                GatheredAgainstTruth.assertMetricsMatch(truth, b);
                GatheredAgainstTruth.assertLogsMatch(truth, b);
                assertThat(SharedFiles.schemaErrors(Json.mapper().valueToTree(b))).isEmpty();
                assertThat(gathered.timings().calls()).isGreaterThanOrEqualTo(6);
            }
        }
    }

    @Test
    void aSlowLeakAlreadyUnderWayAtTheWindowStartWidensTheWindowOnce() {
        EvidenceBundle truth = fake.world().app(leak.app().resourceId()).orElseThrow();
        fake.clearRequests();
        try (AzureEvidenceSource source = source(truth, Map.of("EVIDENCE_LOOKBACK", "PT6H", "EVIDENCE_MAX_LOOKBACK", "PT24H"))) {
            EvidenceBundle b = source.gather(truth.alert());

            assertThat(b.gaps()).isEmpty();
            assertThat(b.window().start()).isEqualTo(java.time.Instant.parse("2026-10-11T12:04:00Z"));
            // One round: every group and both queries over the widest window at once, none again once it widened.
            assertThat(fake.requests(FakeEndpoint.METRICS)).as("every group, once").hasSize(MetricsEvidenceReader.GROUPS.size())
                    .allSatisfy(r -> assertThat(java.net.URLDecoder.decode(r.rawQuery(), java.nio.charset.StandardCharsets.UTF_8))
                            .contains("timespan=2026-10-11T12:04"));
            assertThat(fake.requests(FakeEndpoint.LOGS)).as("system events and console lines, once").hasSize(2);
            GatheredAgainstTruth.assertMetricsMatch(truth, b);
        }
    }

    @Test
    void aShortSpikeDoesNotWiden() {
        EvidenceBundle truth = fake.world().app(appError.app().resourceId()).orElseThrow();
        fake.clearRequests();
        try (AzureEvidenceSource source = source(truth, Map.of("EVIDENCE_LOOKBACK", "PT2H", "EVIDENCE_MAX_LOOKBACK", "PT24H"))) {
            EvidenceBundle b = source.gather(truth.alert());

            assertThat(b.window().start()).isEqualTo(java.time.Instant.parse("2026-10-12T06:15:00Z"));
            assertThat(fake.requests(FakeEndpoint.METRICS)).as("one call per group of dimensions").hasSize(MetricsEvidenceReader.GROUPS.size());
        }
    }

    /**
     * Metrics and logs are read over the widest window up front; a gather that does not widen keeps
     * the initial window's slice, which must be exactly what queries over the initial window return.
     */
    @Test
    void aGatherThatDoesNotWidenHasExactlyWhatQueriesOverItsWindowReturn() {
        for (EvidenceBundle example : List.of(appError, peak)) {
            EvidenceBundle truth = fake.world().app(example.app().resourceId()).orElseThrow();
            EvidenceBundle sliced;
            EvidenceBundle asked;
            EvidenceBundle whole;
            try (AzureEvidenceSource wide = source(truth, Map.of("EVIDENCE_LOOKBACK", "PT2H", "EVIDENCE_MAX_LOOKBACK", "PT24H"));
                 AzureEvidenceSource narrow = source(truth, Map.of("EVIDENCE_LOOKBACK", "PT2H", "EVIDENCE_MAX_LOOKBACK", "PT2H"));
                 AzureEvidenceSource day = source(truth, Map.of("EVIDENCE_LOOKBACK", "PT24H", "EVIDENCE_MAX_LOOKBACK", "PT24H"))) {
                sliced = wide.gather(truth.alert());
                asked = narrow.gather(truth.alert());
                whole = day.gather(truth.alert());
            }
            // Not vacuous: the widest window holds samples the initial one does not.
            assertThat(whole.metrics().stream().mapToInt(m -> m.size()).sum())
                    .isGreaterThan(asked.metrics().stream().mapToInt(m -> m.size()).sum());
            assertThat(sliced.window()).isEqualTo(asked.window());
            assertThat(sliced.gaps()).isEmpty();
            com.fasterxml.jackson.databind.JsonNode slicedMetrics = Json.mapper().valueToTree(sliced.metrics());
            com.fasterxml.jackson.databind.JsonNode askedMetrics = Json.mapper().valueToTree(asked.metrics());
            assertThat(slicedMetrics).as(example.app().name()).isEqualTo(askedMetrics);
            assertThat(sliced.systemLogs()).isEqualTo(asked.systemLogs());
            assertThat(sliced.consoleLogs()).isEqualTo(asked.consoleLogs());
            assertThat(sliced.metrics()).isNotEmpty();
        }
    }

    @Test
    void theEnvironmentAndItsWorkspacesAreReadAgainOnceTheirLifetimeHasPassed() {
        EvidenceBundle truth = fake.world().app(appError.app().resourceId()).orElseThrow();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        Settings settings = new Settings(s);
        try (AzureEvidenceSource source = new AzureEvidenceSource(AzureClients.from(settings), settings,
                Clock.fixed(truth.alert().firedAt().plus(Duration.ofHours(1)), ZoneOffset.UTC), now::get)) {
            source.gather(truth.alert());
            now.addAndGet(AzureEvidenceSource.ENVIRONMENT_LIFETIME.minusMinutes(1).toNanos());
            fake.clearRequests();
            source.gather(truth.alert());
            assertThat(fake.requests(FakeEndpoint.ARM)).as("within the lifetime").noneMatch(r -> r.rawPath().contains("/managedEnvironments/"));

            now.addAndGet(Duration.ofMinutes(2).toNanos());
            fake.clearRequests();
            EvidenceBundle b = source.gather(truth.alert());
            assertThat(b.gaps()).isEmpty();
            assertThat(fake.requests(FakeEndpoint.ARM)).as("past the lifetime (read every minute meanwhile)")
                    .anyMatch(r -> r.rawPath().contains("/managedEnvironments/"));
        }
    }

    @Test
    void laterAlertsForTheSameAppReuseItsWorkspaceAndStartLogsAtOnce() {
        EvidenceBundle truth = fake.world().app(appError.app().resourceId()).orElseThrow();
        try (AzureEvidenceSource source = source(truth, Map.of())) {
            source.gather(truth.alert());
            fake.clearRequests();

            GatheredEvidence second = source.gatherTimed(truth.alert());

            assertThat(second.bundle().gaps()).isEmpty();
            assertThat(second.bundle().app().workspaceId()).isEqualTo(truth.app().workspaceId());
            assertThat(fake.requests(FakeEndpoint.ARM)).noneMatch(r -> r.rawPath().contains("/managedEnvironments/"));
            // app, revisions, replicas, three metrics groups, two log queries: no environment read.
            assertThat(second.timings().calls()).isEqualTo(5 + MetricsEvidenceReader.GROUPS.size());
        }
    }
}
