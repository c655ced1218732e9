package io.oomresponder.simulator.azure;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Across the scenarios both log destinations, both table families and both kinds of environment occur. */
class EnvironmentLogsAcrossScenariosTest {

    @Test
    void bothTableFamiliesAndBothEnvironmentKindsOccurAndEachEnvironmentHoldsOne() {
        List<EvidenceBundle> truths = ScenarioCatalog.names().stream().map(n -> ScenarioCatalog.generate(n, 3).truth()).toList();
        FakeAzureWorld world = new FakeAzureWorld(truths);
        Set<String> destinations = new HashSet<>();
        Set<Boolean> profiles = new HashSet<>();
        Set<Boolean> dedicated = new HashSet<>();
        for (EvidenceBundle b : world.apps()) {
            EnvironmentLogs logs = world.environmentLogs(b.app().environmentId());
            destinations.add(logs.destination());
            assertThat(logs.resourceSpecificTables()).isEqualTo(EnvironmentLogs.AZURE_MONITOR.equals(logs.destination()));
            if (logs.resourceSpecificTables()) {
                assertThat(logs.settings()).isNotEmpty();
            }
            profiles.add(b.app().workloadProfile() != null);
            if (b.app().workloadProfile() != null) {
                dedicated.add(b.app().workloadProfile().dedicated());
            }
            assertThat(b.app().tags()).containsKey("team");
        }
        assertThat(destinations).containsExactlyInAnyOrder(EnvironmentLogs.LOG_ANALYTICS, EnvironmentLogs.AZURE_MONITOR);
        assertThat(profiles).as("Consumption-only and workload-profiles environments").containsExactlyInAnyOrder(true, false);
        assertThat(dedicated).as("Consumption and Dedicated profiles").containsExactlyInAnyOrder(true, false);
    }
}
