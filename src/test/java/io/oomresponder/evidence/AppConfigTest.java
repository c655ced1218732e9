package io.oomresponder.evidence;

import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AppConfigTest {

    private static final String ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/a";

    private static ContainerSpec container(String name, String memory, Long bytes) {
        return new ContainerSpec(name, "img", 0.5, memory, bytes, List.of());
    }

    @Test
    void replicaLimitIsTheSumOfEveryContainersLimit() {
        AppConfig app = new AppConfig(ID, "a", "rg", "s", null,
                List.of(container("app", "1Gi", 1L << 30), container("sidecar", "512Mi", null)), null, null, null, null, List.of());
        assertThat(app.replicaMemoryLimitBytes()).as("the sidecar's limit parsed from its quantity").isEqualTo(3L << 29);
        assertThat(app.memoryLimitBytes()).isEqualTo(1L << 30);
        assertThat(app.container("sidecar")).isPresent();
    }

    @Test
    void replicaLimitIsUnknownWhenAnyContainerLimitIs() {
        AppConfig app = new AppConfig(ID, "a", "rg", "s", null,
                List.of(container("app", "1Gi", 1L << 30), container("sidecar", null, null)), null, null, null, null, List.of());
        assertThat(app.replicaMemoryLimitBytes()).isNull();
        assertThat(new AppConfig(ID, "a", null, null, null, List.of(), null, null, null, null, List.of()).replicaMemoryLimitBytes()).isNull();
    }

    @Test
    void newFieldsRoundTripAndOldBundlesReadWithoutThem() throws Exception {
        AppConfig app = new AppConfig(ID, "a", "rg", "s", "a--1", List.of(container("app", "2Gi", 2L << 30)), null, "westeurope",
                null, null, List.of(), Map.of("team", "shop"), "gp-e8", WorkloadProfile.of("gp-e8", "E8", 2, 6));
        String json = Json.mapper().writeValueAsString(app);
        assertThat(json).contains("\"workloadProfileName\":\"gp-e8\"").contains("\"type\":\"E8\"").doesNotContain("replicaMemoryLimitBytes");
        AppConfig back = Json.mapper().readValue(json, AppConfig.class);
        assertThat(back).isEqualTo(app);
        assertThat(back.workloadProfile().memoryBytes()).as("E8 = 64 GiB on Learn").isEqualTo(64L << 30);

        AppConfig old = Json.mapper().readValue("{\"resourceId\":\"" + ID + "\",\"name\":\"a\",\"containers\":[]}", AppConfig.class);
        assertThat(old.tags()).isEmpty();
        assertThat(old.workloadProfileName()).isNull();
        assertThat(old.workloadProfile()).isNull();
        assertThat(Json.mapper().writeValueAsString(old)).doesNotContain("tags").doesNotContain("workloadProfile");
    }

    @Test
    void unknownProfileTypesKeepTheirNameWithoutASize() {
        WorkloadProfile p = WorkloadProfile.of("flex", "Flex", null, null);
        assertThat(p.dedicated()).isTrue();
        assertThat(p.memoryBytes()).isNull();
        assertThat(WorkloadProfile.of("Consumption", "Consumption", null, null).dedicated()).isFalse();
        assertThat(WorkloadProfile.of("Consumption", "Consumption", null, null).memoryBytes()).isEqualTo(8L << 30);
    }
}
