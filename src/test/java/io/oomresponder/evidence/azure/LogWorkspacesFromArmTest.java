package io.oomresponder.evidence.azure;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.config.Settings;
import io.oomresponder.simulator.azure.EnvironmentLogs;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the logs are, read with the real SDK clients: the environment's own workspace
 * (destination log-analytics, {@code _CL} tables), its diagnostic settings (destination
 * azure-monitor, resource-specific tables, possibly several workspaces), or the
 * LOG_ANALYTICS_WORKSPACE_ID override.
 */
class LogWorkspacesFromArmTest {

    private static final String APP = "orders-api";
    private static final String ENV = "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/rg-env/providers/Microsoft.App/managedEnvironments/env-map";
    private static final String LAW_A = "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-a";
    private static final String LAW_B = "/subscriptions/" + TruthBundles.SUBSCRIPTION + "/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law-b";
    private static final String CUSTOMER_B = "0b0b0b0b-9999-8888-7777-666666666666";

    private FakeAzure fake;
    private EvidenceBundle truth;
    private String customerA;

    @BeforeEach
    void start() {
        fake = FakeAzure.start(List.of(TruthBundles.detailed(APP, "orders-api--r2x9", "orders-api--r2x9-5d9774cff-aaaaa", "orders-api--r2x9-5d9774cff-bbbbb")));
        truth = fake.world().app(TruthBundles.resourceId(APP)).orElseThrow();
        customerA = truth.app().workspaceId();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private EvidenceBundle gather(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(fake.clientSettings());
        s.put("EVIDENCE_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_LOOKBACK", "PT10M");
        s.put("EVIDENCE_MAX_RETRIES", "0");
        s.putAll(extra);
        try (AzureEvidenceSource source = AzureEvidenceSource.fromSettings(new Settings(s), Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC))) {
            return source.gather(truth.alert());
        }
    }

    /** The truth's events (its three identical back-offs folded into one row, as Container Apps does) and its console lines. */
    private void assertLogsRead(EvidenceBundle b) {
        assertThat(b.systemLogs()).hasSize(2);
        assertThat(b.systemLogs().get(0)).isEqualTo(truth.systemLogs().get(0));
        assertThat(b.systemLogs().get(1).message()).endsWith("(seen 3 times)");
        assertThat(b.consoleLogs()).hasSize(TruthBundles.LINES_OF_A - 10 + 5);
    }

    private List<String> logTables() {
        return fake.logQueries().stream().map(q -> q.contains("_CL") ? "_CL" : "resource-specific").distinct().toList();
    }

    @Test
    void aLogAnalyticsEnvironmentNamesItsWorkspaceAndHoldsTheCustomLogTables() {
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.LOG_ANALYTICS, List.of()));

        EvidenceBundle b = gather(Map.of());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.app().workspaceId()).isEqualTo(customerA);
        assertThat(logTables()).containsExactly("_CL");
        assertLogsRead(b);
        assertThat(fake.requests(FakeEndpoint.ARM)).as("no workspace GET: the environment names its own")
                .noneMatch(r -> r.rawPath().contains("Microsoft.OperationalInsights"));
    }

    @Test
    void anAzureMonitorEnvironmentIsFollowedToTheWorkspaceOfItsDiagnosticSetting() {
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-a", LAW_A, customerA, true, true, true))));

        EvidenceBundle b = gather(Map.of());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.app().workspaceId()).as("law-a's customer id, from GET workspace").isEqualTo(customerA);
        assertThat(logTables()).containsExactly("resource-specific");
        assertThat(fake.requests(FakeEndpoint.ARM)).anyMatch(r -> r.rawPath().endsWith("/providers/Microsoft.Insights/diagnosticSettings"))
                .anyMatch(r -> r.rawPath().endsWith("/workspaces/law-a"));
        assertLogsRead(b);
        assertThat(b.systemLogs()).filteredOn(e -> "ContainerTerminated".equals(e.reason())).allMatch(e -> "api".equals(e.container()));
    }

    @Test
    void withSeveralWorkspacesTheFirstThatAnswersIsUsedPerLogKind() {
        // law-a gets only console lines and refuses us (no reader role); law-b gets everything.
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("console-to-law-a", LAW_A, customerA, false, true, false),
                new EnvironmentLogs.DiagnosticSetting("all-to-law-b", LAW_B, CUSTOMER_B, true, true, true))));
        fake.world().denyWorkspace(customerA);

        EvidenceBundle b = gather(Map.of());

        assertThat(b.gaps()).isEmpty();
        assertThat(b.app().workspaceId()).as("system events come from law-b only").isEqualTo(CUSTOMER_B);
        assertLogsRead(b);
        List<String> asked = fake.requests(FakeEndpoint.LOGS).stream().map(r -> r.rawPath() + " " + r.status()).toList();
        assertThat(asked).contains("/v1/workspaces/" + customerA + "/query 403", "/v1/workspaces/" + CUSTOMER_B + "/query 200");
        assertThat(asked).filteredOn(a -> a.contains(customerA)).as("system events are never asked of law-a").hasSize(1);
    }

    @Test
    void whenEveryWorkspaceRefusesTheGapSaysHowManyWereTried() {
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-a", LAW_A, customerA, true, true, true),
                new EnvironmentLogs.DiagnosticSetting("to-law-b", LAW_B, CUSTOMER_B, true, true, true))));
        fake.world().denyWorkspace(customerA);
        fake.world().denyWorkspace(CUSTOMER_B);

        EvidenceBundle b = gather(Map.of());

        assertThat(b.gaps()).extracting(EvidenceGap::detail).anyMatch(d -> d.startsWith("system events: HTTP 403")
                && d.endsWith("(2 workspace/table queries tried)"));
    }

    @Test
    void anAzureMonitorEnvironmentWithoutADiagnosticSettingIsAGapNamingTheCause() {
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of()));

        EvidenceBundle b = gather(Map.of());

        assertThat(b.gaps()).extracting(EvidenceGap::detail).singleElement().asString()
                .startsWith("workspace: the environment's logs go to Azure Monitor but no diagnostic setting sends");
        assertThat(fake.requests(FakeEndpoint.LOGS)).isEmpty();
    }

    @Test
    void theWorkspaceSettingOverridesTheEnvironmentWhoseDestinationStillPicksTheTables() {
        fake.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-b", LAW_B, CUSTOMER_B, true, true, true),
                new EnvironmentLogs.DiagnosticSetting("to-law-a", LAW_A, customerA, true, true, true))));

        EvidenceBundle b = gather(Map.of(AzureEvidenceSource.LOG_ANALYTICS_WORKSPACE_ID, customerA));

        assertThat(b.gaps()).isEmpty();
        assertThat(b.app().workspaceId()).isEqualTo(customerA);
        assertThat(fake.requests(FakeEndpoint.LOGS)).allMatch(r -> r.rawPath().contains(customerA));
        assertThat(fake.requests(FakeEndpoint.ARM)).noneMatch(r -> r.rawPath().contains("diagnosticSettings"));
        assertThat(logTables()).containsExactly("resource-specific");
    }
}
