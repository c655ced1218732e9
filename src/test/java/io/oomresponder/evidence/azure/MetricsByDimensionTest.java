package io.oomresponder.evidence.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.monitor.query.models.AggregationType;
import com.azure.monitor.query.models.MetricsQueryOptions;
import com.azure.monitor.query.models.QueryTimeInterval;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.Fault;
import io.oomresponder.simulator.azure.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metrics are asked for in groups that share their supported dimensions, through the
 * per-resource metrics API with the real {@code MetricsQueryClient}, against the strict simulator
 * that refuses (400) a filter naming a dimension a metric lacks, as Azure does.
 */
class MetricsByDimensionTest {

    private static EvidenceBundle truth;
    private static FakeAzure fake;
    private static AzureClients clients;
    private static AzureEvidenceSource source;

    @BeforeAll
    static void start() {
        truth = TruthBundles.detailed("orders-api", "orders-api--r2x9", "orders-api--r2x9-a", "orders-api--r2x9-b");
        fake = FakeAzure.start(List.of(truth));
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_RETRIES", "0");
        s.put("LOG_ANALYTICS_WORKSPACE_ID", truth.app().workspaceId());
        clients = AzureClients.from(new Settings(s));
        source = new AzureEvidenceSource(clients, new Settings(s), Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
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

    @Test
    void eachCallSplitsOnlyByDimensionsEveryOneOfItsMetricsSupports() {
        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.gaps()).isEmpty();
        Map<String, String> filterByMetrics = fake.requests(FakeEndpoint.METRICS).stream()
                .collect(Collectors.toMap(r -> query(r).get("metricnames"), r -> query(r).get("$filter")));
        assertThat(filterByMetrics).containsOnly(
                Map.entry("WorkingSetBytes,RestartCount,Requests,UsageNanoCores", "revisionName eq '*' and podName eq '*'"),
                Map.entry("Replicas", "revisionName eq '*'"),
                Map.entry("MemoryPercentage", "podName eq '*'"),
                Map.entry("Requests", "statusCodeCategory eq '*'"));
        assertThat(b.series("Replicas")).isNotEmpty().allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("revisionName"));
        assertThat(b.series("MemoryPercentage")).isNotEmpty().allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("podName"));
        assertThat(b.series("WorkingSetBytes")).isNotEmpty().allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("revisionName", "podName"));
        // Requests twice: per replica, and app-wide per status class (the note's impact line).
        assertThat(b.series("Requests")).filteredOn(s -> s.podName() == null)
                .allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("statusCodeCategory"));
        assertThat(b.series("Requests")).filteredOn(s -> s.podName() != null).isNotEmpty()
                .allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("revisionName", "podName"));
        GatheredAgainstTruth.assertMetricsMatch(truth, b);
    }

    @Test
    void eachGroupAsksOnlyForTheAggregationsItsMetricsKeep() {
        source.gather(truth.alert());

        Map<String, String> aggregationsByMetrics = fake.requests(FakeEndpoint.METRICS).stream()
                .collect(Collectors.toMap(r -> query(r).get("metricnames"), r -> query(r).get("aggregation")));
        assertThat(aggregationsByMetrics.get("WorkingSetBytes,RestartCount,Requests,UsageNanoCores")).isEqualTo("Maximum,Average,Total");
        assertThat(aggregationsByMetrics.get("Replicas")).isEqualTo("Maximum");
    }

    @Test
    void theOldSingleFilterOnEveryMetricIsRefusedWithAzuresCodeAndMessage() {
        MetricsQueryOptions options = new MetricsQueryOptions()
                .setMetricNamespace("Microsoft.App/containerApps")
                .setTimeInterval(new QueryTimeInterval(OffsetDateTime.parse("2026-11-20T09:50:00Z"), OffsetDateTime.parse("2026-11-20T10:06:00Z")))
                .setGranularity(Duration.ofMinutes(1))
                .setAggregations(List.of(AggregationType.MAXIMUM))
                .setFilter("revisionName eq '*' and podName eq '*'");
        List<String> all = List.copyOf(MetricsEvidenceReader.WANTED.keySet());

        assertThatThrownBy(() -> clients.metrics().queryResourceWithResponse(AzureEvidenceSource.resourceUri(truth.app().resourceId()),
                all, options, Context.NONE))
                .isInstanceOfSatisfying(HttpResponseException.class, e -> {
                    AzureServiceError error = AzureServiceError.of(e).orElseThrow();
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo("BadRequest");
                    assertThat(error.message()).startsWith("Metric: Replicas does not support requested dimension combination: "
                            + "revisionname,podname, supported ones are: revisionName");
                    assertThat(AzureEvidenceSource.reason(e)).startsWith("HTTP 400 BadRequest: Metric: Replicas does not support");
                });
    }

    @Test
    void aRefusedGroupIsOneGapWithAzuresCodeWhileTheOtherGroupsArrive() {
        fake.faults().failNext(FakeEndpoint.METRICS, Fault.status(403), 1);

        EvidenceBundle b = source.gather(truth.alert());

        EvidenceGap gap = b.gaps().stream().filter(g -> g.source().equals("metrics")).collect(Collectors.toList()).get(0);
        assertThat(b.gaps()).as("one gap for the one refused group").hasSize(1);
        assertThat(gap.code()).isEqualTo("AuthorizationFailed");
        assertThat(gap.detail()).contains("HTTP 403 AuthorizationFailed");
        RecordedRequest refused = fake.requests(FakeEndpoint.METRICS).stream().filter(r -> r.status() == 403).findFirst().orElseThrow();
        List<String> refusedMetrics = List.of(query(refused).get("metricnames").split(","));
        assertThat(gap.detail()).startsWith("metrics " + String.join(", ", refusedMetrics) + " (by ");
        Set<String> gathered = b.metrics().stream().map(MetricSeries::name).collect(Collectors.toSet());
        // Every metric a group that was not refused brings: one the truth holds with (at least) that group's
        // dimensions. Requests is asked by two groups (per replica, and app-wide by statusCodeCategory),
        // so which group the fault hits decides whether it still arrives: this truth has no
        // statusCodeCategory view, so Requests is lost with the per-replica group and kept without it.
        Set<String> expected = MetricsEvidenceReader.GROUPS.stream()
                .filter(g -> !Set.copyOf(g.metrics()).equals(Set.copyOf(refusedMetrics)))
                .flatMap(g -> g.metrics().stream().filter(m -> truth.series(m).stream()
                        .anyMatch(s -> s.dimensions().keySet().containsAll(g.splitBy()))))
                .collect(Collectors.toSet());
        assertThat(expected).as("the truth serves something besides the refused group").isNotEmpty();
        assertThat(gathered).isEqualTo(expected);
    }

    @Test
    void withoutTheMetricsRoleEveryGroupIsAGapAndTheAdviceNamesTheRoleAndTheResourceGroup() {
        fake.faults().failAlways(FakeEndpoint.METRICS, Fault.status(403));

        EvidenceBundle b = source.gather(truth.alert());

        assertThat(b.metrics()).isEmpty();
        assertThat(b.gaps()).as("one gap per group").hasSize(MetricsEvidenceReader.GROUPS.size())
                .allSatisfy(g -> assertThat(g.code()).isEqualTo("AuthorizationFailed"));
        assertThat(fake.requests(FakeEndpoint.METRICS)).as("per resource through ARM")
                .allSatisfy(r -> assertThat(r.rawPath()).startsWith(truth.app().resourceId() + "/providers/Microsoft.Insights/metrics"));
        Diagnosis d = new Diagnoser().diagnose(b);
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE);
        assertThat(d.recommendations()).anySatisfy(r -> assertThat(r.detail())
                .contains("Monitoring Reader").contains("resource group " + truth.app().resourceGroup())
                .contains("no subscription-wide role"));
    }

    @Test
    void aServiceMessageLosesUrlsAndControlCharactersAndIsBounded() {
        String cleaned = AzureServiceError.cleanMessage("denied at https://x.example/a?sig=SECRET\nnext line " + "y".repeat(400));

        assertThat(cleaned).doesNotContain("SECRET").doesNotContain("\n").contains("<url>");
        assertThat(cleaned).hasSize(AzureServiceError.MAX_MESSAGE);
    }

    private static Map<String, String> query(RecordedRequest r) {
        Map<String, String> out = new HashMap<>();
        for (String pair : r.rawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
