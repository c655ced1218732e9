package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.KqlString;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
import io.oomresponder.SharedFiles;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.Fault;
import io.oomresponder.simulator.azure.KqlLiterals;
import io.oomresponder.simulator.azure.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Parallelism, retries, per-source failures and hostile names, against the fake Azure. */
class AzureEvidenceFaultsTest {

    private static final String HOSTILE_APP = "ev'il\" | take 1\n| union * ; \\x";
    private static final String HOSTILE_REVISION = "rev'|\n\"x";
    private static final String HOSTILE_REPLICA = "pod' | where 1==1\r\n";

    private static EvidenceBundle truth;
    private static EvidenceBundle hostile;
    private static FakeAzure fake;
    private static Map<String, String> settings;
    private static AzureEvidenceSource source;

    @BeforeAll
    static void start() {
        truth = TruthBundles.detailed("orders-api", "orders-api--r2x9", "orders-api--r2x9-a", "orders-api--r2x9-b");
        hostile = TruthBundles.detailed(HOSTILE_APP, HOSTILE_REVISION, HOSTILE_REPLICA, "plain-replica");
        fake = FakeAzure.start(List.of(truth, hostile));
        settings = new HashMap<>(fake.clientSettings());
        settings.put("EVIDENCE_LOOKBACK", "PT10M");
        settings.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        settings.put("EVIDENCE_MAX_RETRIES", "2");
        settings.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        settings.put("EVIDENCE_CALL_TIMEOUT", "PT10S");
        // Generous: the build machine is shared; the hang test uses its own short timeouts.
        settings.put("EVIDENCE_SOURCE_TIMEOUT", "PT30S");
        settings.put("LOG_ANALYTICS_WORKSPACE_ID", truth.app().workspaceId());
        source = AzureEvidenceSource.fromSettings(new Settings(settings), clock());
        // Warm the JVM (class loading, TLS) so timings below measure calls, not start-up.
        source.gather(truth.alert());
    }

    @AfterAll
    static void stop() {
        source.close();
        fake.close();
    }

    @BeforeEach
    void reset() {
        fake.faults().clear();
        fake.clearRequests();
    }

    private static Clock clock() {
        return Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void withLatencyTheGatherCostsAboutTheCriticalPathNotTheSumOfCalls() {
        fake.faults().latency(Duration.ofMillis(300));

        GatheredEvidence g = source.gatherTimed(truth.alert());

        assertThat(g.bundle().gaps()).isEmpty();
        // app, revisions, replicas, environment (workload profile), three metrics groups, system
        // events, console lines; the critical path is app -> environment or revisions -> replicas,
        // two calls deep, so a serial collector would pay over four times as much.
        assertThat(g.timings().calls()).isEqualTo(6 + MetricsEvidenceReader.GROUPS.size());
        assertThat(g.timings().sumOfCallMs()).isGreaterThanOrEqualTo(9 * 300);
        // No wall times or request orders here (a loaded machine stretches and reorders them): that the
        // metrics do not wait for ARM is the next test, by making ARM never answer; the figures are `bench gather`'s.
        assertThat(fake.requests(FakeEndpoint.METRICS)).hasSize(MetricsEvidenceReader.GROUPS.size());
        assertThat(fake.requests(FakeEndpoint.LOGS)).hasSize(2);
    }

    @Test
    void theMetricsDoNotWaitForArmTheyArriveWhileArmNeverAnswers() {
        // ARM never answers while the test runs (the fake ends the hang when it closes): if the metrics
        // waited for the app, the environment or the replicas, they would be cut at the deadline too.
        fake.faults().failAlways(FakeEndpoint.ARM, Fault.hang(Duration.ofMinutes(10)));
        GatheredEvidence g = gatherWithoutRetriesWithin8Seconds();

        // The groups every gather asks for need only the app's id (the Java groups wait for the app's
        // configuration, so they are cut with ARM here).
        assertThat(g.bundle().gaps()).extracting(EvidenceGap::source).contains("arm");
        for (MetricsEvidenceReader.MetricGroup group : MetricsEvidenceReader.GROUPS) {
            assertThat(g.bundle().gaps()).as(group.label()).noneMatch(gap -> gap.detail().startsWith(group.label() + ":"));
        }
        assertThat(g.bundle().series("WorkingSetBytes")).isNotEmpty();
        assertThat(fake.requests(FakeEndpoint.METRICS)).filteredOn(m -> m.status() == 200).hasSizeGreaterThanOrEqualTo(MetricsEvidenceReader.GROUPS.size());
    }

    @Test
    void throttledMetricsAreRetriedAfterRetryAfterAndRecover() {
        fake.faults().failNext(FakeEndpoint.METRICS, Fault.throttle(Duration.ofMillis(400)), 1);

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.series("WorkingSetBytes")).isNotEmpty();
        List<RecordedRequest> calls = fake.requests(FakeEndpoint.METRICS);
        assertThat(calls).extracting(RecordedRequest::status).containsOnlyOnce(429).filteredOn(s -> s == 200)
                .hasSize(MetricsEvidenceReader.GROUPS.size());
        RecordedRequest throttled = calls.stream().filter(c -> c.status() == 429).findFirst().orElseThrow();
        RecordedRequest retry = calls.stream().filter(c -> c.status() == 200 && c.rawQuery().equals(throttled.rawQuery())).findFirst().orElseThrow();
        assertThat(Duration.between(throttled.end(), retry.start()).toMillis()).as("waited for Retry-After").isGreaterThanOrEqualTo(350);
    }

    @Test
    void failingLogsBecomeOneGapAndTheRestIsComplete() {
        fake.faults().failAlways(FakeEndpoint.LOGS, Fault.status(500));

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).extracting(EvidenceGap::source).containsOnly("logs");
        assertThat(b.gaps()).extracting(EvidenceGap::detail).allMatch(d -> d.contains("HTTP 500"));
        assertThat(b.systemLogs()).isEmpty();
        assertThat(b.consoleLogs()).isEmpty();
        assertThat(b.app()).isEqualTo(fake.world().app(truth.app().resourceId()).orElseThrow().app());
        assertThat(b.replicas()).hasSize(2);
        assertThat(b.series("WorkingSetBytes")).hasSize(4);
        assertThat(fake.requests(FakeEndpoint.LOGS)).as("each query tried 1 + 2 retries").hasSize(6);
        assertThat(SharedFiles.schemaErrors(Json.mapper().valueToTree(b))).isEmpty();
    }

    @Test
    void forbiddenOnLogsIsNotRetried() {
        fake.faults().failAlways(FakeEndpoint.LOGS, Fault.status(403));

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).extracting(EvidenceGap::source).containsOnly("logs");
        assertThat(b.gaps()).extracting(EvidenceGap::detail).allMatch(d -> d.contains("HTTP 403"));
        assertThat(fake.requests(FakeEndpoint.LOGS)).hasSize(2);
        assertThat(b.series("RestartCount")).isNotEmpty();
    }

    @Test
    void forbiddenArmLeavesMetricsAndWithAConfiguredWorkspaceTheLogs() {
        fake.faults().failAlways(FakeEndpoint.ARM, Fault.status(403));

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).extracting(EvidenceGap::source).containsOnly("arm");
        assertThat(b.gaps()).extracting(EvidenceGap::detail).anyMatch(d -> d.startsWith("container app: " + AzureSignIn.NOT_AUTHORIZED + " (HTTP 403 AuthorizationFailed)"));
        assertThat(b.app().name()).isEqualTo("orders-api");
        assertThat(b.app().containers()).isEmpty();
        assertThat(b.series("WorkingSetBytes")).hasSize(4);
        assertThat(b.systemLogs()).isNotEmpty();
        assertThat(b.consoleLogs()).isNotEmpty();
        assertThat(fake.requests(FakeEndpoint.ARM)).as("403 is not retried").hasSize(2);
        assertThat(SharedFiles.schemaErrors(Json.mapper().valueToTree(b))).isEmpty();
    }

    @Test
    void withoutArmTheWorkspaceIsUnknownAndSaysSo() {
        fake.faults().failAlways(FakeEndpoint.ARM, Fault.status(403));
        Map<String, String> s = new HashMap<>(settings);
        s.remove("LOG_ANALYTICS_WORKSPACE_ID");
        EvidenceBundle b;
        try (AzureEvidenceSource fromEnvironment = AzureEvidenceSource.fromSettings(new Settings(s), clock())) {
            b = fromEnvironment.gather(truth.alert());
        }

        assertThat(b.gaps()).extracting(EvidenceGap::source).contains("arm", "logs").doesNotContain("metrics");
        assertThat(b.gaps()).filteredOn(gap -> gap.source().equals("logs")).singleElement()
                .satisfies(gap -> assertThat(gap.detail()).contains("LOG_ANALYTICS_WORKSPACE_ID"));
        assertThat(fake.requests(FakeEndpoint.LOGS)).isEmpty();
    }

    @Test
    void aHangingMetricsCallTimesOutIntoAGapWhileTheRestArrives() {
        // Never answers while the test runs (the fake ends it when it closes), so only the source deadline
        // can end it; the other calls get that deadline's 8 s, which no loaded machine comes near on loopback.
        fake.faults().failAlways(FakeEndpoint.METRICS, Fault.hang(Duration.ofMinutes(10)));
        GatheredEvidence g = gatherWithoutRetriesWithin8Seconds();

        assertThat(g.bundle().gaps()).extracting(EvidenceGap::source).containsOnly("metrics");
        assertThat(g.bundle().metrics()).isEmpty();
        assertThat(g.bundle().replicas()).hasSize(2);
        assertThat(g.bundle().systemLogs()).isNotEmpty();
        assertThat(g.bundle().gaps()).as("the hang was cut at the source deadline").anySatisfy(gap -> assertThat(gap.detail()).contains("timed out after 8000 ms"));
    }

    @Test
    void emptyResultsAreNotGaps() {
        fake.faults().failAlways(FakeEndpoint.LOGS, Fault.empty());
        fake.faults().failAlways(FakeEndpoint.METRICS, Fault.empty());

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.metrics()).isEmpty();
        assertThat(b.systemLogs()).isEmpty();
        assertThat(b.replicas()).hasSize(2);
    }

    @Test
    void hostileNamesReachLogAnalyticsOnlyAsEscapedLiterals() {
        EvidenceBundle b = source.gather(hostile.alert());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.app().name()).isEqualTo(HOSTILE_APP);
        assertThat(b.replicas()).extracting(r -> r.name()).contains(HOSTILE_REPLICA);
        assertThat(b.systemLogs()).as("the query selected the hostile app's rows").isNotEmpty();
        List<String> queries = fake.logQueries();
        assertThat(queries).hasSize(2);
        for (String q : queries) {
            KqlLiterals parsed = KqlLiterals.parse(q);
            assertThat(parsed.literals()).contains(HOSTILE_APP);
            assertThat(q).contains(KqlString.literal(HOSTILE_APP));
            assertThat(parsed.code()).doesNotContain("take 1").doesNotContain("union *").doesNotContain("\\x");
            assertThat(parsed.code()).doesNotContain(HOSTILE_REVISION).doesNotContain(HOSTILE_REPLICA);
        }
    }

    private static RecordedRequest only(FakeEndpoint endpoint, String pathSuffix) {
        return fake.requests(endpoint).stream().filter(r -> r.rawPath().endsWith(pathSuffix)).findFirst().orElseThrow();
    }

    /** One gather with no retries and an 8 s source deadline: what the hang tests need to end. */
    private GatheredEvidence gatherWithoutRetriesWithin8Seconds() {
        Map<String, String> s = new HashMap<>(settings);
        s.put("EVIDENCE_MAX_RETRIES", "0");
        s.put("EVIDENCE_SOURCE_TIMEOUT", "PT8S");
        try (AzureEvidenceSource impatient = AzureEvidenceSource.fromSettings(new Settings(s), clock())) {
            return impatient.gatherTimed(truth.alert());
        }
    }
}
