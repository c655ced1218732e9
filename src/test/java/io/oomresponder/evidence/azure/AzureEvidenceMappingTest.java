package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every field of a detailed app maps through ARM, the per-resource metrics API and Log Analytics. */
class AzureEvidenceMappingTest {

    private static final String APP = "orders-api";
    private static final String REVISION = "orders-api--r2x9";
    private static final String POD_A = "orders-api--r2x9-5d9774cff-aaaaa";
    private static final String POD_B = "orders-api--r2x9-5d9774cff-bbbbb";

    private static EvidenceBundle truth;
    private static FakeAzure fake;
    private static EvidenceBundle gathered;

    @BeforeAll
    static void gatherOnce() {
        truth = TruthBundles.detailed(APP, REVISION, POD_A, POD_B);
        fake = FakeAzure.start(List.of(truth));
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        Clock clock = Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
        try (AzureEvidenceSource source = AzureEvidenceSource.fromSettings(new Settings(s), clock)) {
            gathered = source.gather(truth.alert());
        }
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @Test
    void containerLimitsProbesAndScaleRulesMapFromArm() {
        assertThat(gathered.gaps()).isEmpty();
        var containers = gathered.app().containers();
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).memory()).isEqualTo("1.5Gi");
        assertThat(containers.get(0).memoryBytes()).isEqualTo(1_610_612_736L);
        assertThat(containers.get(0).cpu()).isEqualTo(0.75);
        assertThat(containers.get(1).memoryBytes()).isEqualTo(536_870_912L);
        assertThat(containers.get(0).probes()).isEqualTo(truth.app().containers().get(0).probes());
        assertThat(gathered.app().scale()).isEqualTo(truth.app().scale());
        assertThat(gathered.app().location()).isEqualTo("eastus2");
        assertThat(gathered.app().environmentId()).isEqualTo(truth.app().environmentId());
        assertThat(gathered.app().workspaceId()).as("from the managed environment").isEqualTo("0b0b0b0b-1111-2222-3333-444444444444");
        assertThat(gathered.app()).isEqualTo(truth.app());
    }

    @Test
    void tagsWorkloadProfileAndEveryContainerLimitMapFromArm() {
        assertThat(gathered.app().tags()).containsExactly(Map.entry("team", "orders"), Map.entry("oncall", "shop-sre"));
        assertThat(gathered.app().workloadProfileName()).isEqualTo("gp-d4");
        var profile = gathered.app().workloadProfile();
        assertThat(profile.type()).as("from the environment's workloadProfiles").isEqualTo("D4");
        assertThat(profile.dedicated()).isTrue();
        assertThat(profile.vCpus()).isEqualTo(4.0);
        assertThat(profile.memoryBytes()).as("D4 = 16 GiB on Learn").isEqualTo(16L << 30);
        assertThat(profile.minimumCount()).isEqualTo(1);
        assertThat(profile.maximumCount()).isEqualTo(5);
        assertThat(gathered.app().containers()).extracting(c -> c.name()).containsExactly("api", "sidecar");
        assertThat(gathered.app().replicaMemoryLimitBytes()).as("1.5Gi + 512Mi").isEqualTo(2L << 30);
        assertThat(gathered.app().memoryLimitBytes()).as("the first container alone").isEqualTo(1_610_612_736L);
    }

    @Test
    void replicasOfActiveRevisionsOnlyCarryRestartCountsAndReadiness() {
        assertThat(gathered.replicas()).containsExactlyInAnyOrderElementsOf(truth.replicas());
        assertThat(gathered.replicas()).allMatch(r -> r.revision().equals(REVISION));
        List<RecordedRequest> replicaCalls = fake.requests(FakeEndpoint.ARM).stream()
                .filter(r -> r.rawPath().endsWith("/replicas")).toList();
        assertThat(replicaCalls).as("the inactive revision is not asked").hasSize(1);
        assertThat(gathered.replicas().stream().filter(r -> r.name().equals(POD_A)).findFirst().orElseThrow().totalRestarts()).isEqualTo(4);
    }

    @Test
    void oneSeriesPerReplicaAndAggregationWithNullsPreservedAndDimensionNamesNormalised() {
        List<MetricSeries> ws = gathered.series("WorkingSetBytes");
        assertThat(ws).hasSize(4);
        assertThat(ws).allSatisfy(s -> assertThat(s.dimensions()).containsOnlyKeys("revisionName", "podName"));
        MetricSeries maxA = ws.stream().filter(s -> POD_A.equals(s.podName()) && "Maximum".equals(s.aggregation())).findFirst().orElseThrow();
        assertThat(maxA.points().get(3).value()).as("empty bucket stays null, never 0").isNull();
        assertThat(maxA.points().get(4).value()).isEqualTo(1.04e9);
        assertThat(maxA.points().get(maxA.points().size() - 1).value()).as("bucket after the truth ends").isNull();
        assertThat(gathered.series("Replicas")).singleElement().satisfies(s -> assertThat(s.dimensions()).containsOnlyKeys("revisionName"));
        assertThat(gathered.series("RestartCount")).hasSize(2).allSatisfy(s -> assertThat(s.aggregation()).isEqualTo("Total"));
        assertThat(gathered.series("UsageNanoCores")).hasSize(2);
        assertThat(gathered.series("MemoryPercentage")).hasSize(2).allSatisfy(s -> assertThat(s.unit()).isEqualTo("Percent"));
        GatheredAgainstTruth.assertMetricsMatch(truth, gathered);

        List<RecordedRequest> metricCalls = fake.requests(FakeEndpoint.METRICS);
        assertThat(metricCalls).as("one per-resource call per group of dimensions").hasSize(MetricsEvidenceReader.GROUPS.size())
                .allSatisfy(c -> assertThat(c.rawPath()).isEqualTo(truth.app().resourceId() + "/providers/Microsoft.Insights/metrics"))
                .allSatisfy(c -> assertThat(c.rawQuery()).contains("timespan=").contains("metricnamespace=Microsoft.App/containerApps"));
    }

    @Test
    void systemEventsKeepRepeatCountsThatArriveAsStrings() {
        List<SystemLogEvent> events = gathered.systemLogs();
        assertThat(events).hasSize(2);
        assertThat(events.get(0)).isEqualTo(fake.world().app(truth.app().resourceId()).orElseThrow().systemLogs().get(0));
        assertThat(events.get(0).container()).as("the killed container, named by the system log").isEqualTo("api");
        assertThat(events.get(1).message()).isEqualTo("Back-off restarting failed container (seen 3 times)");
    }

    @Test
    void consoleLinesAreTheLastFiftyBeforeEachRestartPerReplica() {
        List<ConsoleLine> a = gathered.consoleLogs().stream().filter(l -> POD_A.equals(l.replica())).toList();
        // 50 before the restart after line 59 (lines 10..59) plus 50 before A's last line (20..69).
        assertThat(a).hasSize(TruthBundles.LINES_OF_A - 10);
        assertThat(a.get(0).message()).startsWith("line 10 ");
        assertThat(a.get(0).message()).isEqualTo("line 10 | \"quoted\" \\ ok");
        assertThat(gathered.consoleLogs().stream().filter(l -> POD_B.equals(l.replica()))).hasSize(5);
        List<Instant> times = gathered.consoleLogs().stream().map(ConsoleLine::time).toList();
        assertThat(times).isSorted();
    }

    @Test
    void windowIsLookbackBeforeFiringToFiveMinutesAfterInWholeMinutes() {
        assertThat(gathered.window().start()).isEqualTo(Instant.parse("2026-11-20T09:50:00Z"));
        assertThat(gathered.window().end()).isEqualTo(Instant.parse("2026-11-20T10:06:00Z"));
        assertThat(gathered.window().grain()).isEqualTo(Duration.ofMinutes(1));
        List<MetricPoint> points = gathered.series("WorkingSetBytes").get(0).points();
        assertThat(points).hasSize(16);
    }
}
