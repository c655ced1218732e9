package io.oomresponder.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static io.oomresponder.intake.AlertSamples.*;
import static org.assertj.core.api.Assertions.assertThat;

class AlertIntakeTest {

    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    final AlertIntake intake = new AlertIntake(ScopeGuard.allowing(SUBSCRIPTION), Clock.fixed(NOW, ZoneOffset.UTC));

    private IntakeResult accept(ObjectNode payload) {
        return intake.accept(bytes(payload), Map.of());
    }

    private AlertSignal acceptedSignal(ObjectNode payload) {
        IntakeResult r = accept(payload);
        assertThat(r).isInstanceOf(IntakeResult.Accepted.class);
        IntakeResult.Accepted a = (IntakeResult.Accepted) r;
        assertThat(a.alerts()).hasSize(1);
        QueuedAlert q = a.alerts().get(0);
        assertThat(q.receivedAt()).isEqualTo(NOW);
        assertThat(q.alert().raw()).as("queue messages carry no raw payload").isNull();
        assertThat(q.dedupeKey()).isEqualTo(q.alert().id() + "|" + q.alert().condition());
        return q.alert();
    }

    @Test
    void theFullResolvedVmSampleIsIgnoredBecauseItsTargetIsNotAContainerApp() {
        assertThat(accept(full())).usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("alert target is not a container app (microsoft.compute/virtualmachines)"));
    }

    @Test
    void everyContractSampleAsPublishedIsIgnoredWithItsReason() {
        assertThat(accept(wrapped("alert-context-metric-static-threshold.json")))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("alert target is not a container app (microsoft.compute/virtualmachines)"));
        assertThat(accept(wrapped("alert-context-metric-dynamic-threshold.json")))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("alert target is not a container app (microsoft.compute/virtualmachines)"));
        assertThat(accept(wrapped("alert-context-log-search-v2.json")))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored(CommonAlertParser.NO_APP_IN_LOG_ALERT));
        for (String legacy : LEGACY_LOG_SAMPLES) {
            assertThat(accept(wrapped(legacy))).as(legacy + ": its times parse, so it is not refused")
                    .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored(CommonAlertParser.NO_APP_IN_LOG_ALERT));
        }
    }

    @Test
    void aLogSearchAlertSplitOnTheResourceIdTargetsThatResourceBeforeDimensionsAndConfigurationItems() {
        String other = APP_ID_LOWER.replace("/api-gateway", "/orders-api");
        AlertSignal s = acceptedSignal(containerAppLogV2TargetFirst(other));
        assertThat(s.targetResourceId()).isEqualTo(APP_ID);
        // A workspace-scoped rule targets the workspace: then the dimension names the app.
        ObjectNode onWorkspace = containerAppLogV2TargetFirst(other);
        ((ObjectNode) onWorkspace.at("/data/essentials")).set("alertTargetIDs", Json.mapper().createArrayNode().add(WORKSPACE_ID));
        assertThat(acceptedSignal(onWorkspace).targetResourceId()).isEqualTo(other.replace("/resourcegroups/", "/resourceGroups/")
                .replace("/providers/microsoft.app/containerapps/", "/providers/Microsoft.App/containerApps/"));
    }

    @Test
    void legacyLogAlertTimesInUsCultureAreReadAsUtc() {
        for (String legacy : LEGACY_LOG_SAMPLES) {
            ObjectNode p = wrapped(legacy);
            ((ObjectNode) p.at("/data/essentials")).set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER));
            ((ObjectNode) p.at("/data/alertContext")).put("SearchQuery", "ContainerAppSystemLogs_CL | where Log_s has 'OOMKilled'");
            AlertSignal s = acceptedSignal(p);
            assertThat(s.targetResourceId()).isEqualTo(APP_ID);
            int second = legacy.contains("log-analytics") ? 31 : 33;
            assertThat(s.windowStart()).as(legacy).isEqualTo(Instant.parse("2019-03-22T13:36:" + second + "Z"));
            assertThat(s.windowEnd()).as(legacy).isEqualTo(Instant.parse("2019-03-22T13:51:" + second + "Z"));
        }
        ObjectNode midnight = wrapped(LEGACY_LOG_SAMPLES.get(0));
        ((ObjectNode) midnight.at("/data/essentials")).set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER));
        ((ObjectNode) midnight.at("/data/alertContext")).put("SearchQuery", "ContainerAppSystemLogs_CL | where Log_s has 'OOMKilled'")
                .put("SearchIntervalStartTimeUtc", "12/1/2026 12:05:09 AM").put("SearchIntervalEndtimeUtc", "12/1/2026 12:20:09.5 PM");
        AlertSignal m = acceptedSignal(midnight);
        assertThat(m.windowStart()).isEqualTo(Instant.parse("2026-12-01T00:05:09Z"));
        assertThat(m.windowEnd()).isEqualTo(Instant.parse("2026-12-01T12:20:09.500Z"));
    }

    @Test
    void aTimeInNeitherFormIsRefusedNamingItsField() {
        ObjectNode p = wrapped(LEGACY_LOG_SAMPLES.get(0));
        ((ObjectNode) p.at("/data/essentials")).set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER));
        ((ObjectNode) p.at("/data/alertContext")).put("SearchQuery", "ContainerAppSystemLogs_CL | where Log_s has 'OOMKilled'")
                .put("SearchIntervalStartTimeUtc", "22/3/2019 13:36:31");
        IntakeResult r = accept(p);
        assertThat(r).isInstanceOf(IntakeResult.Rejected.class);
        assertThat(((IntakeResult.Rejected) r).status()).isEqualTo(400);
        assertThat(((IntakeResult.Rejected) r).field()).isEqualTo("data.alertContext.SearchIntervalStartTimeUtc");
    }

    @Test
    void resolvedMetricAlertOnWorkingSetBecomesAResolvedSignal() {
        AlertSignal s = acceptedSignal(containerAppMetric("alert-common-schema-full-metric-resolved.json", "WorkingSetBytes"));
        assertThat(s.id()).isEqualTo(ALERT_ID);
        assertThat(s.rule()).isEqualTo("WCUS-R2-Gen2");
        assertThat(s.signal()).isEqualTo(AlertSignal.Signal.WorkingSetBytes);
        assertThat(s.condition()).isEqualTo(AlertSignal.Condition.Resolved);
        assertThat(s.firedAt()).isEqualTo(Instant.parse("2019-03-22T13:58:24.3713213Z"));
        assertThat(s.resolvedAt()).isEqualTo(Instant.parse("2019-03-22T14:03:16.2246313Z"));
        assertThat(s.targetResourceId()).isEqualTo(APP_ID);
        assertThat(s.severity()).isEqualTo("Sev3");
        assertThat(s.metricValue()).isEqualTo(7.727);
        assertThat(s.threshold()).isEqualTo("25");
        assertThat(s.dimensions()).containsEntry("revisionName", "api-gateway--rev7").containsEntry("podName", "api-gateway--rev7-5d9774cff-5wnd8");
        assertThat(s.windowStart()).isNull();
    }

    @Test
    void staticThresholdMetricAlertKeepsValueThresholdAndWindow() {
        AlertSignal s = acceptedSignal(containerAppMetric("alert-context-metric-static-threshold.json", "MemoryPercentage"));
        assertThat(s.signal()).isEqualTo(AlertSignal.Signal.MemoryPercentage);
        assertThat(s.condition()).isEqualTo(AlertSignal.Condition.Fired);
        assertThat(s.resolvedAt()).isNull();
        assertThat(s.metricValue()).isEqualTo(31.1105);
        assertThat(s.threshold()).isEqualTo("25");
        assertThat(s.windowStart()).isEqualTo(Instant.parse("2019-03-22T13:40:03.064Z"));
        assertThat(s.windowEnd()).isEqualTo(Instant.parse("2019-03-22T13:45:03.064Z"));
    }

    @Test
    void dynamicThresholdMetricAlertOnRestartCountIsAccepted() {
        AlertSignal s = acceptedSignal(containerAppMetric("alert-context-metric-dynamic-threshold.json", "RestartCount"));
        assertThat(s.signal()).isEqualTo(AlertSignal.Signal.RestartCount);
        assertThat(s.metricValue()).isEqualTo(50101.0);
        assertThat(s.threshold()).isEqualTo("47658");
        assertThat(s.windowEnd()).isEqualTo(Instant.parse("2021-07-20T05:12:26.363Z"));
    }

    @Test
    void metricNamesAreMatchedCaseInsensitively() {
        assertThat(acceptedSignal(containerAppMetric("alert-context-metric-static-threshold.json", "workingsetbytes")).signal())
                .isEqualTo(AlertSignal.Signal.WorkingSetBytes);
    }

    @Test
    void otherMetricOfAContainerAppIsIgnored() {
        assertThat(accept(containerAppMetric("alert-context-metric-static-threshold.json", "Requests")))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("metric Requests is not one oom-responder handles (RestartCount, WorkingSetBytes, MemoryPercentage of Microsoft.App/containerApps)"));
    }

    @Test
    void logSearchAlertTakesTheAppFromResourceIdNotFromTheWorkspaceTarget() {
        AlertSignal s = acceptedSignal(containerAppLogV2());
        assertThat(s.signal()).isEqualTo(AlertSignal.Signal.OOMKilledLog);
        assertThat(s.targetResourceId()).isEqualTo(APP_ID);
        assertThat(s.query()).contains("OOMKilled");
        assertThat(s.metricValue()).isEqualTo(3.0);
        assertThat(s.threshold()).isEqualTo("0");
        assertThat(s.dimensions()).containsEntry("_ResourceId", APP_ID_LOWER);
        assertThat(s.windowStart()).isEqualTo(Instant.parse("2020-07-07T13:54:34Z"));
        assertThat(s.windowEnd()).isEqualTo(Instant.parse("2020-07-09T13:54:34Z"));
    }

    @Test
    void logSearchAlertFindsTheAppInConfigurationItemsWithoutADimension() {
        ObjectNode p = containerAppLogV2();
        ((ObjectNode) p.at("/data/alertContext/condition/allOf/0")).putArray("dimensions");
        assertThat(acceptedSignal(p).targetResourceId()).isEqualTo(APP_ID);
    }

    @Test
    void logSearchAlertWithAnUnrelatedQueryIsIgnored() {
        ObjectNode p = containerAppLogV2();
        ((ObjectNode) p.at("/data/alertContext/condition/allOf/0")).put("searchQuery", "Heartbeat");
        assertThat(accept(p)).usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("log search alert query does not look for OOM kills, exit code 137 or restarts"));
    }

    @Test
    void legacyLogAlertFindsTheAppInItsSearchResults() {
        AlertSignal s = acceptedSignal(containerAppLegacyLog());
        assertThat(s.signal()).isEqualTo(AlertSignal.Signal.OOMKilledLog);
        assertThat(s.targetResourceId()).isEqualTo(APP_ID);
        assertThat(s.metricValue()).isEqualTo(2.0);
        assertThat(s.threshold()).isEqualTo("0");
        assertThat(s.windowStart()).isEqualTo(Instant.parse("2019-03-22T13:40:03Z"));
        assertThat(s.windowEnd()).isEqualTo(Instant.parse("2019-03-22T13:55:03Z"));
    }

    @Test
    void firedAndResolvedOfOneAlertHaveDifferentDedupeKeys() {
        ObjectNode fired = containerAppMetric("alert-common-schema-full-metric-resolved.json", "WorkingSetBytes");
        ((ObjectNode) fired.at("/data/essentials")).put("monitorCondition", "Fired");
        ObjectNode resolved = containerAppMetric("alert-common-schema-full-metric-resolved.json", "WorkingSetBytes");
        String firedKey = ((IntakeResult.Accepted) accept(fired)).alerts().get(0).dedupeKey();
        String resolvedKey = ((IntakeResult.Accepted) accept(resolved)).alerts().get(0).dedupeKey();
        assertThat(firedKey).isEqualTo(ALERT_ID + "|Fired");
        assertThat(resolvedKey).isEqualTo(ALERT_ID + "|Resolved");
    }

    @Test
    void alertRuleIdIsReadInEitherSpelling() {
        ObjectNode p = containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes");
        ObjectNode e = (ObjectNode) p.at("/data/essentials");
        e.set("ALERTRULE", e.remove("alertRule"));
        assertThat(acceptedSignal(p).rule()).isEqualTo("WCUS-R2-Gen2");
    }

    @Test
    void activityLogAlertsAreIgnored() {
        ObjectNode p = full();
        ((ObjectNode) p.at("/data/essentials")).put("monitoringService", "Activity Log - Administrative");
        assertThat(accept(p)).usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("activity log alerts are not handled (monitoringService Activity Log - Administrative)"));
    }

    @Test
    void appsInOtherSubscriptionsAreIgnoredBeforeAnyQuery() {
        AlertIntake narrow = new AlertIntake(ScopeGuard.allowing(OTHER_SUBSCRIPTION), Clock.systemUTC());
        assertThat(narrow.accept(bytes(containerAppLogV2()), Map.of()))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("subscription " + SUBSCRIPTION + " is not in ALLOWED_SUBSCRIPTIONS"));
    }

    @Test
    void eventGridEventCarryingTheCommonSchemaIsAccepted() throws Exception {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", "e1").put("subject", "alerts/api-gateway").put("eventType", "Contoso.Alerts.AlertFired")
                .put("eventTime", "2026-11-27T09:59:00Z").put("dataVersion", "1.0");
        event.set("data", containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));
        IntakeResult r = intake.accept(bytes(Json.mapper().createArrayNode().add(event)), Map.of("aeg-event-type", "Notification"));
        assertThat(r).isInstanceOf(IntakeResult.Accepted.class);
        assertThat(((IntakeResult.Accepted) r).alerts().get(0).alert().targetResourceId()).isEqualTo(APP_ID);
    }

    @Test
    void cloudEventCarryingTheCommonSchemaIsAccepted() {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("specversion", "1.0").put("id", "c1").put("source", "/contoso/alerts").put("type", "Contoso.Alerts.AlertFired")
                .put("datacontenttype", "application/json");
        event.set("data", containerAppLogV2());
        IntakeResult r = intake.accept(bytes(event), Map.of());
        assertThat(r).isInstanceOf(IntakeResult.Accepted.class);
        assertThat(((IntakeResult.Accepted) r).alerts().get(0).alert().signal()).isEqualTo(AlertSignal.Signal.OOMKilledLog);
    }

    @Test
    void subscriptionValidationIsAnsweredWithItsCode() {
        String body = "[{\"id\":\"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66\",\"topic\":\"/subscriptions/x\",\"subject\":\"\","
                + "\"data\":{\"validationCode\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\",\"validationUrl\":\"https://rp-eastus2.eventgrid.azure.net/x\"},"
                + "\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"eventTime\":\"2018-01-25T22:12:19.4556811Z\",\"metadataVersion\":\"1\",\"dataVersion\":\"1\"}]";
        IntakeResult r = intake.accept(body.getBytes(), Map.of("aeg-event-type", "SubscriptionValidation"));
        assertThat(r).isEqualTo(new IntakeResult.Handshake("512d38b6-c7b8-40c8-89fe-f46f9e9622b6"));
        assertThat(HttpAnswer.of(r).body()).isEqualTo("{\"validationResponse\":\"512d38b6-c7b8-40c8-89fe-f46f9e9622b6\"}");
        assertThat(HttpAnswer.of(r).status()).isEqualTo(200);
    }

    @Test
    void unrelatedEventGridEventsAreIgnored() {
        String body = "[{\"id\":\"1\",\"subject\":\"s\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"eventTime\":\"2026-11-27T09:00:00Z\",\"dataVersion\":\"1\",\"data\":{\"x\":1}}]";
        assertThat(intake.accept(body.getBytes(), Map.of()))
                .usingRecursiveComparison().ignoringFields("receipts").isEqualTo(new IntakeResult.Ignored("event of type Microsoft.Resources.ResourceWriteSuccess carries no common alert schema payload"));
    }

    @Test
    void oneEventGridRequestNamingAHundredAppsQueuesAlertsForTheFirstTenOnly() throws Exception {
        // Issue 26: 100 apps in one request queued 100 alerts; ten such requests filled the queue.
        IntakeResult r = intake.accept(eventGridRequest("/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.EventGrid/topics/t", 0, 100), Map.of());
        assertThat(r).isInstanceOf(IntakeResult.Accepted.class);
        IntakeResult.Accepted a = (IntakeResult.Accepted) r;
        assertThat(a.alerts()).hasSize(AlertIntake.MAX_APPS_PER_REQUEST);
        assertThat(a.overAppBound()).isEqualTo(100 - AlertIntake.MAX_APPS_PER_REQUEST);
        assertThat(HttpAnswer.of(r).body()).contains("\"overAppBound\":90", "at most 10 apps");
    }

    /** One Event Grid request about {@code count} apps numbered from {@code from}, from {@code topic}. */
    private static byte[] eventGridRequest(String topic, int from, int count) {
        com.fasterxml.jackson.databind.node.ArrayNode events = Json.mapper().createArrayNode();
        for (int i = from; i < from + count; i++) {
            ObjectNode payload = containerAppMetric("alert-context-metric-static-threshold.json", "RestartCount");
            ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
            essentials.put("alertId", ALERT_ID + "-" + i);
            essentials.set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER.replace("/api-gateway", "/app-" + i)));
            essentials.set("configurationItems", Json.mapper().createArrayNode().add("app-" + i));
            events.addObject().put("id", "e-" + i).put("topic", topic).put("subject", "alert").put("eventType", "Microsoft.AlertsManagement.AlertFired")
                    .put("eventTime", "2026-11-30T05:00:00Z").put("dataVersion", "1.0").set("data", payload);
        }
        return events.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void oneEventGridSourceQueuesAtMostItsBoundOfAlertsPerMinuteWhileAnotherSourceStillGetsIn() {
        // Issue 26: within the per-request bound, one topic sending many requests still filled the queue.
        String flooding = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg/providers/Microsoft.EventGrid/topics/storm";
        int queued = 0;
        int app = 0;
        // 95 alerts, each for its own app (so no app's own rate limit is involved).
        for (int sent = 0; sent < 95; sent += 5) {
            queued += ((IntakeResult.Accepted) intake.accept(eventGridRequest(flooding, app, 5), Map.of())).alerts().size();
            app += 5;
        }
        assertThat(queued).isEqualTo(95);
        IntakeResult r = intake.accept(eventGridRequest(flooding.toUpperCase(), app, 10), Map.of());
        app += 10;
        IntakeResult.Accepted a = (IntakeResult.Accepted) r;
        assertThat(a.alerts()).hasSize(AlertIntake.MAX_ALERTS_PER_SOURCE_PER_MINUTE - 95);
        assertThat(a.overSourceBound()).isEqualTo(5);
        assertThat(a.receipts()).filteredOn(x -> IntakeReceipt.IGNORED.equals(x.outcome())).hasSize(5);
        assertThat(HttpAnswer.of(r).status()).isEqualTo(202);
        assertThat(HttpAnswer.of(r).body()).contains("\"overSourceBound\":5", "at most 100 alerts per minute");

        IntakeResult over = intake.accept(eventGridRequest(flooding, app, 10), Map.of());
        app += 10;
        assertThat(over).isInstanceOf(IntakeResult.Ignored.class);
        assertThat(over.receipts()).hasSize(10).allMatch(x -> IntakeReceipt.IGNORED.equals(x.outcome()));
        assertThat(((IntakeResult.Ignored) over).reason()).contains("per Event Grid source per minute");

        String other = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg/providers/Microsoft.EventGrid/topics/calm";
        assertThat(((IntakeResult.Accepted) intake.accept(eventGridRequest(other, app, 10), Map.of())).alerts()).hasSize(10);
        // An action group's alert is not an Event Grid source: the bound does not touch it.
        assertThat(intake.accept(containerAppMetric("alert-context-metric-static-threshold.json", "RestartCount").toString().getBytes(), Map.of()))
                .isInstanceOf(IntakeResult.Accepted.class);
    }
}
