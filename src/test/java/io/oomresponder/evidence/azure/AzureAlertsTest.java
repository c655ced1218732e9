package io.oomresponder.evidence.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AzureAlertsTest {

    private static final String ID = "/subscriptions/9e261de7-c804-4b9d-9ebf-6f50fe350a9a/providers/Microsoft.AlertsManagement/alerts/66114d64-d9d9-478b-95c9-b789d6502100";

    @Test
    void aContainerAppAlertBecomesASignalWithItsOwnTimes() throws Exception {
        JsonNode alert = Json.mapper().readTree("""
                {"properties": {"essentials": {"severity": "Sev2", "signalType": "Metric", "monitorCondition": "Resolved",
                  "monitorService": "Platform",
                  "targetResource": "/subscriptions/9e261de7-c804-4b9d-9ebf-6f50fe350a9a/resourcegroups/rg-web/providers/microsoft.app/containerapps/orders",
                  "targetResourceType": "containerapps",
                  "alertRule": "/subscriptions/9e261de7-c804-4b9d-9ebf-6f50fe350a9a/resourceGroups/rg-web/providers/microsoft.insights/metricalerts/orders-restarts",
                  "startDateTime": "2026-10-12T12:04:50Z", "monitorConditionResolvedDateTime": "2026-10-12T13:00:00Z"}}}""");

        AlertSignal s = AzureAlerts.parse(ID, alert);

        assertThat(s.id()).isEqualTo(ID);
        assertThat(s.rule()).isEqualTo("orders-restarts");
        assertThat(s.condition()).isEqualTo(AlertSignal.Condition.Resolved);
        assertThat(s.firedAt()).isEqualTo(Instant.parse("2026-10-12T12:04:50Z"));
        assertThat(s.resolvedAt()).isEqualTo(Instant.parse("2026-10-12T13:00:00Z"));
        assertThat(s.targetResourceId()).endsWith("/resourceGroups/rg-web/providers/Microsoft.App/containerApps/orders");
        assertThat(s.severity()).isEqualTo("Sev2");
    }

    @Test
    void anAlertAboutAnotherResourceTypeIsRefused() throws Exception {
        // Learn's "Alerts - Get By Id" sample: an Application Insights component
        JsonNode alert = Json.mapper().readTree("""
                {"properties": {"essentials": {"signalType": "Log", "monitorCondition": "Fired",
                  "targetResource": "/subscriptions/3b540246-808d-4331-99aa-917b808a9166/resourcegroups/servicedeskresourcegroup/providers/microsoft.insights/components/servicedeskappinsight",
                  "targetResourceType": "components", "startDateTime": "2019-02-13T06:18:30Z"}}}""");

        assertThatThrownBy(() -> AzureAlerts.parse(ID, alert))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not about a container app");
    }
}
