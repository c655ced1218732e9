package io.oomresponder.intake;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContainerAppIdTest {

    static final String SUB = "3af27f80-3f99-4221-ac28-404b162a01de";

    @Test
    void lowerCaseIdFromAnAlertBecomesTheCanonicalId() {
        ContainerAppId id = ContainerAppId.parse("/subscriptions/" + SUB.toUpperCase() + "/resourcegroups/RG-Apps/providers/microsoft.app/containerapps/Api-Gateway");
        assertThat(id.subscriptionId()).isEqualTo(SUB);
        assertThat(id.resourceGroup()).isEqualTo("RG-Apps");
        assertThat(id.name()).isEqualTo("api-gateway");
        assertThat(id).hasToString("/subscriptions/" + SUB + "/resourceGroups/RG-Apps/providers/Microsoft.App/containerApps/api-gateway");
        assertThat(ContainerAppId.parse(id.toString())).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/resourceGroups/rg/providers/Microsoft.App/containerApps/app",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/app/revisions/r1",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/app'",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/\"app\"",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/app|where 1==1",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/app\n",
            "/subscriptions/%s/resourceGroups/../providers/Microsoft.App/containerApps/app",
            "/subscriptions/%s/resourceGroups/rg./providers/Microsoft.App/containerApps/app",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/a",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/app-",
            "/subscriptions/%s/resourceGroups/rg/providers/Microsoft.App/containerApps/9app",
            "/subscriptions/%s//resourceGroups/rg/providers/Microsoft.App/containerApps/app",
            "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.App/containerApps/app",
            ""})
    void malformedIdsAreRejected(String template) {
        String id = template.formatted(SUB);
        assertThatThrownBy(() -> ContainerAppId.parse(id)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("'").doesNotContain("\"").doesNotContain("|");
    }

    @Test
    void overlongIdsAreRejectedBeforeMatching() {
        assertThatThrownBy(() -> ContainerAppId.parse("/subscriptions/" + "a".repeat(10_000)))
                .hasMessage("resource id is longer than 512 characters");
    }
}
