package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.WorkloadProfile;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.azure.FakeAzure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's workload profile comes from its environment's {@code workloadProfiles}, read through
 * the real ARM client: a Dedicated profile with its size, Consumption in a workload-profiles
 * environment, and nothing in a Consumption-only environment.
 */
class WorkloadProfilesFromArmTest {

    private static FakeAzure fake;
    private static AzureEvidenceSource source;

    @BeforeAll
    static void start() {
        String profilesEnv = "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/rg-env/providers/Microsoft.App/managedEnvironments/env-wp";
        String consumptionOnlyEnv = "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/rg-env/providers/Microsoft.App/managedEnvironments/env-c";
        EvidenceBundle dedicated = placed(TruthBundles.detailed("big-worker", "big-worker--r1", "big-worker--r1-a-aaaaa", "big-worker--r1-a-bbbbb"),
                profilesEnv, "memory-e8", WorkloadProfile.of("memory-e8", "E8", 2, 6));
        EvidenceBundle consumption = placed(TruthBundles.detailed("small-api", "small-api--r1", "small-api--r1-a-aaaaa", "small-api--r1-a-bbbbb"),
                profilesEnv, null, null);
        EvidenceBundle consumptionOnly = placed(TruthBundles.detailed("old-api", "old-api--r1", "old-api--r1-a-aaaaa", "old-api--r1-a-bbbbb"),
                consumptionOnlyEnv, null, null);
        fake = FakeAzure.start(List.of(dedicated, consumption, consumptionOnly));
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        source = AzureEvidenceSource.fromSettings(new Settings(s), Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        source.close();
        fake.close();
    }

    private static EvidenceBundle placed(EvidenceBundle b, String environmentId, String profileName, WorkloadProfile profile) {
        AppConfig a = b.app();
        AppConfig moved = new AppConfig(a.resourceId(), a.name(), a.resourceGroup(), a.subscriptionId(), a.latestRevision(), a.containers(),
                a.scale(), a.location(), environmentId, a.workspaceId(), a.revisions(), a.tags(), profileName, profile);
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), moved, b.replicas(), b.metrics(), b.systemLogs(), b.consoleLogs(), b.gaps());
    }

    private static AppConfig gather(String app) {
        EvidenceBundle truth = fake.world().app(TruthBundles.resourceId(app)).orElseThrow();
        EvidenceBundle gathered = source.gather(truth.alert());
        assertThat(gathered.gaps()).isEmpty();
        return gathered.app();
    }

    @Test
    void aDedicatedProfileCarriesItsTypeSizeAndNodeCounts() {
        AppConfig app = gather("big-worker");
        assertThat(app.workloadProfileName()).isEqualTo("memory-e8");
        assertThat(app.workloadProfile()).isEqualTo(new WorkloadProfile("memory-e8", "E8", 8.0, "64Gi", 64L << 30, 2, 6));
    }

    @Test
    void anAppWithoutAProfileNameInAProfilesEnvironmentRunsOnConsumption() {
        AppConfig app = gather("small-api");
        assertThat(app.workloadProfileName()).isNull();
        assertThat(app.workloadProfile().type()).isEqualTo("Consumption");
        assertThat(app.workloadProfile().dedicated()).isFalse();
        assertThat(app.workloadProfile().memoryBytes()).isEqualTo(8L << 30);
    }

    @Test
    void aConsumptionOnlyEnvironmentDeclaresNoProfile() {
        AppConfig app = gather("old-api");
        assertThat(app.workloadProfile()).isNull();
        assertThat(app.containers()).hasSize(2);
    }
}
