package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.simulator.PlacedApps;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.EnvironmentLogs;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.6: two apps of one name in different environments and resource groups log to one
 * workspace. The note of one must not carry the other's console lines or system events: the log
 * queries filter on the environment as well as the app's name.
 */
class EnvironmentScopedLogsTest {

    private static final String SUB = "00000000-0000-0000-0000-0000000000aa";
    private static final String ENV = PlacedApps.environment(SUB, "rg-team-a", "cae-team-a");
    private static final String OTHER_ENV = PlacedApps.environment(SUB, "rg-team-b", "cae-team-b");
    private static final String WORKSPACE = "/subscriptions/" + SUB + "/resourceGroups/rg-shared/providers/Microsoft.OperationalInsights/workspaces/law-shared";

    @Test
    void anAppsLogsDoNotCarryTheLinesOfASameNamedAppInAnotherEnvironment() {
        EvidenceBundle mine = ScenarioCatalog.generate("leak/classic", 7).truth();
        EvidenceBundle theirs = ScenarioCatalog.generate("peak/spike", 8).truth();
        Instant firedAt = mine.alert().firedAt();
        EvidenceBundle a = PlacedApps.place(mine, SUB, "rg-team-a", "orders", ENV, firedAt);
        EvidenceBundle b = PlacedApps.place(theirs, SUB, "rg-team-b", "orders", OTHER_ENV, firedAt);
        MutableClock clock = new MutableClock(firedAt.plus(Duration.ofMinutes(6)));
        try (FakeAzure azure = FakeAzure.start(List.of(a, b), 0, clock)) {
            // Both environments send their logs to one workspace (resource-specific tables).
            for (String env : List.of(ENV, OTHER_ENV)) {
                azure.world().setEnvironmentLogs(env, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                        new EnvironmentLogs.DiagnosticSetting("to-law-shared", WORKSPACE, "0c0c0c0c-1111-2222-3333-444444444444", true, true, true))));
            }
            Map<String, String> values = new HashMap<>(azure.clientSettings());
            values.put("ALLOWED_SUBSCRIPTIONS", SUB);
            values.put("EVIDENCE_SOURCE_TIMEOUT", "PT20S");
            EvidenceBundle gathered = AzureEvidenceSource.fromSettings(new Settings(values), clock).gather(a.alert());

            Set<String> theirLines = b.consoleLogs().stream().map(EnvironmentScopedLogsTest::key).collect(Collectors.toSet());
            Set<String> myLines = a.consoleLogs().stream().map(EnvironmentScopedLogsTest::key).collect(Collectors.toSet());
            theirLines.removeAll(myLines);
            assertThat(theirLines).as("the other app has lines of its own (else the test proves nothing)").isNotEmpty();
            assertThat(gathered.consoleLogs()).as("console lines gathered for the app").isNotEmpty();
            assertThat(gathered.consoleLogs()).extracting(EnvironmentScopedLogsTest::key).noneMatch(theirLines::contains);

            Set<String> theirEvents = b.systemLogs().stream().map(EnvironmentScopedLogsTest::key).collect(Collectors.toSet());
            theirEvents.removeAll(a.systemLogs().stream().map(EnvironmentScopedLogsTest::key).collect(Collectors.toSet()));
            assertThat(theirEvents).isNotEmpty();
            assertThat(gathered.systemLogs()).extracting(EnvironmentScopedLogsTest::key).noneMatch(theirEvents::contains);
        }
    }

    private static String key(ConsoleLine l) {
        return l.time() + " " + l.replica() + " " + l.message();
    }

    private static String key(SystemLogEvent e) {
        return e.time() + " " + e.replica() + " " + e.reason() + " " + e.message();
    }
}
