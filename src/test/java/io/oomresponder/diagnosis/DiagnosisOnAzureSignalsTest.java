package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.WorkloadProfile;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnosis on evidence shaped like Azure's: alerts before the first restart, MemoryPercentage
 * without WorkingSetBytes, sidecars, keywords weighed against metrics, sizes by workload profile.
 */
class DiagnosisOnAzureSignalsTest {

    private final Diagnoser diagnoser = new Diagnoser();

    private Diagnosis simulated(String scenario, long seed) {
        return diagnoser.diagnose(ScenarioCatalog.generate(scenario, seed).truth());
    }

    @Test
    void memoryPercentageTimesTheLimitStandsInForAMissingWorkingSet() {
        Diagnosis d = simulated("leak/memory-percentage-only", 31);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        assertThat(d.steps().get(1).numbers().get("workingSetAggregation")).asString().startsWith("MemoryPercentage");
        assertThat(d.steps().get(1).answer()).contains("MemoryPercentage × the limit");
    }

    @Test
    void aSidecarReplicaIsJudgedAgainstTheSumOfItsContainersLimits() {
        EvidenceBundle b = ScenarioCatalog.generate("sidecar/healthy", 12).truth();
        Diagnosis d = diagnoser.diagnose(b);

        long sum = b.app().containers().stream().mapToLong(c -> c.memoryBytes()).sum();
        assertThat(b.app().containers().get(0).memoryBytes()).isLessThan(sum);
        assertThat(d.figures().memoryLimitBytes()).isEqualTo(sum);
        assertThat(d.figures().peakToLimit()).isLessThan(0.9);
        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.OTHER_CRASH_CAUSE);
    }

    @Test
    void theKilledContainerIsNamedFromTheSystemLog() {
        Diagnosis d = simulated("leak/sidecar", 8);

        assertThat(d.steps().get(0).numbers().get("killedContainer")).isEqualTo("app");
        assertThat(d.steps().get(0).answer()).contains("names container 'app'");
    }

    @Test
    void aQueueWordInTheConsoleAloneDoesNotMakeALeakABuffer() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.consoleLines.add(new ConsoleLine(SyntheticIncident.START.plusSeconds(600), "shop-api--abc123", "shop-api--abc123-pod0",
                "app", "stdout", "INFO consumer: queue 'orders' connected, 0 pending"));
        Diagnosis d = diagnoser.diagnose(s.bundle());

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
        assertThat(d.recommendations()).filteredOn(r -> r.kind() == Recommendation.Kind.FIX).first()
                .extracting(Recommendation::title).isEqualTo("Find and fix the leak");
    }

    @Test
    void memoryFlatNearTheLimitIsSizedTightNeitherLeakNorPeak() {
        Diagnosis d = simulated("early/flat-high", 44);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.OTHER_CRASH_CAUSE);
        assertThat(d.causes()).isEmpty();
        assertThat(d.steps()).anyMatch(s -> s.answer().contains("sized tight"));
        assertThat(d.recommendations().get(0).title()).contains("memory");
        assertThat(d.recommendations()).noneMatch(r -> r.title().startsWith("No action"));
    }

    @Test
    void aLeakCaughtBeforeItsFirstOomIsProjectedToTheLimit() {
        Diagnosis d = simulated("early/leak", 45);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        assertThat(d.figures().restarts()).isZero();
        assertThat(d.figures().projectedOomEarliest()).isNotNull();
    }

    @Test
    void aDailyPeakIsPeakDemandWithTheNextCrestProjected() {
        Diagnosis d = simulated("early/daily-peak", 46);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.PEAK_DEMAND);
        DecisionStep h = d.steps().stream().filter(s -> s.node().equals("H")).findFirst().orElseThrow();
        assertThat(h.numbers().get("nextCrestAt")).isNotNull();
        assertThat((Double) h.numbers().get("trafficCorrelation")).isGreaterThanOrEqualTo(GrowthVsTrafficNode.FOLLOWS_TRAFFIC_RHO);
    }

    @Test
    void aLeakUnderRisingTrafficIsStillALeak() {
        for (long seed = 60; seed < 65; seed++) {
            assertThat(simulated("leak/rising-traffic", seed).verdict()).as("seed %d", seed).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
        }
    }

    @Test
    void onADedicatedProfileMemoryIsNotSizedByConsumptionPairs() {
        EvidenceBundle b = SyntheticIncidents.peakSpike().bundle();
        AppConfig a = b.app();
        AppConfig dedicated = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(),
                a.containers(), a.scale(), a.location(), a.environmentId(), a.workspaceId(), a.revisions(), Map.of(),
                "memory-e4", WorkloadProfile.of("memory-e4", "E4", 1, 3));
        Diagnosis d = diagnoser.diagnose(withApp(b, dedicated));

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.PEAK_DEMAND);
        assertThat(d.recommendations()).anyMatch(r -> r.detail().contains("Dedicated workload profile 'memory-e4'")
                && r.command() != null && r.command().contains("--memory"));
        assertThat(d.recommendations()).noneMatch(r -> r.detail().contains("Consumption-plan sizes"));
    }

    @Test
    void noRecommendationLeavesTheScaleSettingsAsTheyAre() {
        EvidenceBundle b = SyntheticIncidents.peakSpike().bundle();
        AppConfig a = b.app();
        AppConfig scaled = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(),
                a.containers(), new ScaleSettings(2, 10, a.scale().rules()), a.location(), a.environmentId(), a.workspaceId(),
                a.revisions(), Map.of(), null, null);
        Diagnosis d = diagnoser.diagnose(withApp(b, scaled));

        assertThat(d.recommendations()).noneMatch(r -> r.command() != null && r.command().contains("--min-replicas 2 --max-replicas 10"));
    }

    @Test
    void insufficientEvidenceNeverStatesConfidence() {
        Diagnosis d = simulated("nodata/metrics-missing", 3);

        assertThat(d.verdict()).isEqualTo(Diagnosis.Verdict.INSUFFICIENT_EVIDENCE);
        assertThat(d.confidence()).isZero();
    }

    private static EvidenceBundle withApp(EvidenceBundle b, AppConfig app) {
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), app, b.replicas(), b.metrics(), b.systemLogs(),
                b.consoleLogs(), b.gaps());
    }
}
