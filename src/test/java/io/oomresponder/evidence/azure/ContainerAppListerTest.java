package io.oomresponder.evidence.azure;

import io.oomresponder.config.Settings;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.PlacedApps;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ARM list of container apps, read with the real SDK client from the simulator's paged list. */
class ContainerAppListerTest {

    private static final String SUB = "11111111-2222-3333-4444-555555555555";
    private static final String OTHER_SUB = "99999999-2222-3333-4444-555555555555";

    private FakeAzure fake;

    @BeforeEach
    void start() {
        List<EvidenceBundle> apps = new ArrayList<>();
        String envA = PlacedApps.environment(SUB, "rg-env", "cae-a");
        for (int i = 0; i < 5; i++) {
            apps.add(PlacedApps.place("leak/classic", 7, SUB, i < 3 ? "rg-one" : "rg-two", "app-" + i, envA));
        }
        apps.add(PlacedApps.place("leak/classic", 7, OTHER_SUB, "rg-one", "elsewhere", PlacedApps.environment(OTHER_SUB, "rg-env", "cae-b")));
        fake = FakeAzure.start(apps);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private ContainerAppLister lister() {
        return new ContainerAppLister(AzureClients.from(new Settings(fake.clientSettings())));
    }

    @Test
    void everyPageOfASubscriptionIsRead() {
        fake.setContainerAppListPageSize(2);

        List<ContainerAppLister.ListedApp> apps = lister().list("/subscriptions/" + SUB);

        assertThat(apps).extracting(ContainerAppLister.ListedApp::name).containsExactlyInAnyOrder("app-0", "app-1", "app-2", "app-3", "app-4");
        assertThat(apps).allSatisfy(a -> {
            assertThat(a.subscriptionId()).isEqualTo(SUB);
            assertThat(a.environmentId()).endsWithIgnoringCase("/managedEnvironments/cae-a");
        });
        long listCalls = fake.requests(FakeEndpoint.ARM).stream().filter(r -> r.rawPath().endsWith("/containerApps")).count();
        assertThat(listCalls).as("5 apps at 2 a page: 3 pages, each by its nextLink").isEqualTo(3);
    }

    @Test
    void aResourceGroupScopeListsOnlyItsApps() {
        fake.setContainerAppListPageSize(1);

        List<ContainerAppLister.ListedApp> apps = lister().list("/subscriptions/" + SUB + "/resourceGroups/rg-two");

        assertThat(apps).extracting(ContainerAppLister.ListedApp::name).containsExactlyInAnyOrder("app-3", "app-4");
        assertThat(apps).extracting(ContainerAppLister.ListedApp::resourceGroup).containsOnly("rg-two");
    }

    @Test
    void anEmptyScopeIsAnEmptyList() {
        assertThat(lister().list("/subscriptions/" + SUB + "/resourceGroups/rg-none")).isEmpty();
    }

    @Test
    void aScopeThatIsNotOneIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> lister().list("/subscriptions/x/../y")).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.requests(FakeEndpoint.ARM)).isEmpty();
    }
}
