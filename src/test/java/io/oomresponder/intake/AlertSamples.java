package io.oomresponder.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.SharedFiles;
import io.oomresponder.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The alert payloads of src/test/resources/contracts as full envelopes (fragments wrapped into the full
 * sample's envelope), plus container-app variants of each. Test fixture shared by intake,
 * functions and serve tests.
 */
public final class AlertSamples {

    public static final String SUBSCRIPTION = "3af27f80-3f99-4221-ac28-404b162a01de";
    public static final String OTHER_SUBSCRIPTION = "72780829-2923-4542-a965-0de9311509d6";
    /** As Azure writes targets: lower case. */
    public static final String APP_ID_LOWER = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups/rg-apps-eus2/providers/microsoft.app/containerapps/api-gateway";
    public static final String APP_ID = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/rg-apps-eus2/providers/Microsoft.App/containerApps/api-gateway";
    public static final String WORKSPACE_ID = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups/rg-apps-eus2/providers/microsoft.operationalinsights/workspaces/law-apps";
    public static final String ALERT_ID = "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.AlertsManagement/alerts/ef192851-7a8c-fc1e-b38f-18b975c81f24";

    private AlertSamples() {
    }

    public static ObjectNode full() {
        return (ObjectNode) SharedFiles.readJson(SharedFiles.contract("alert-common-schema-full-metric-resolved.json"));
    }

    /** A bare {@code {"alertContext": ...}} sample wrapped into the full envelope, as a Fired alert. */
    public static ObjectNode wrapped(String fragmentFile) {
        ObjectNode envelope = full();
        JsonNode fragment = SharedFiles.readJson(SharedFiles.contract(fragmentFile));
        ObjectNode data = (ObjectNode) envelope.get("data");
        data.set("alertContext", fragment.get("alertContext"));
        ObjectNode essentials = (ObjectNode) data.get("essentials");
        essentials.put("monitorCondition", "Fired");
        essentials.remove("resolvedDateTime");
        if (fragmentFile.contains("log-search")) {
            essentials.put("signalType", "Log");
            essentials.put("monitoringService", fragmentFile.contains("legacy-log-analytics") ? "Log Analytics"
                    : fragmentFile.contains("legacy-application-insights") ? "Application Insights" : "Log Alerts V2");
        }
        return envelope;
    }

    /** Microsoft's two legacy log search alert samples (times like "3/22/2019 1:36:31 PM"), wrapped. */
    public static final java.util.List<String> LEGACY_LOG_SAMPLES = java.util.List.of(
            "alert-context-log-search-legacy-log-analytics.json", "alert-context-log-search-legacy-application-insights.json");

    /**
     * A log search alert from a 2021-08-01+ rule split on {@code _ResourceId}: the app is the alert
     * target ({@code alertTargetIDs}), while the dimension and configurationItems name other apps.
     */
    public static ObjectNode containerAppLogV2TargetFirst(String otherAppIdLower) {
        ObjectNode envelope = containerAppLogV2();
        ObjectNode essentials = (ObjectNode) envelope.at("/data/essentials");
        essentials.set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER));
        essentials.set("configurationItems", Json.mapper().createArrayNode().add(otherAppIdLower));
        ArrayNode dims = ((ObjectNode) envelope.at("/data/alertContext/condition/allOf/0")).putArray("dimensions");
        dims.addObject().put("name", "_ResourceId").put("value", otherAppIdLower);
        return envelope;
    }

    /** All contract samples as full envelopes, by file name. */
    public static Map<String, ObjectNode> contractSamples() {
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        m.put("alert-common-schema-full-metric-resolved.json", full());
        for (String f : new String[]{"alert-context-metric-static-threshold.json", "alert-context-metric-dynamic-threshold.json", "alert-context-log-search-v2.json"}) {
            m.put(f, wrapped(f));
        }
        return m;
    }

    /** The sample with its metric criterion turned into a container-app metric on our app. */
    public static ObjectNode containerAppMetric(String sampleFile, String metricName) {
        ObjectNode envelope = sampleFile.equals("alert-common-schema-full-metric-resolved.json") ? full() : wrapped(sampleFile);
        ObjectNode essentials = (ObjectNode) envelope.at("/data/essentials");
        essentials.put("alertId", ALERT_ID);
        essentials.set("alertTargetIDs", Json.mapper().createArrayNode().add(APP_ID_LOWER));
        essentials.set("configurationItems", Json.mapper().createArrayNode().add("api-gateway"));
        ObjectNode criterion = (ObjectNode) envelope.at("/data/alertContext/condition/allOf/0");
        criterion.put("metricName", metricName);
        criterion.put("metricNamespace", "Microsoft.App/containerApps");
        ArrayNode dims = criterion.putArray("dimensions");
        dims.addObject().put("name", "revisionName").put("value", "api-gateway--rev7");
        dims.addObject().put("name", "podName").put("value", "api-gateway--rev7-5d9774cff-5wnd8");
        return envelope;
    }

    /** The Log Alerts V2 sample on a workspace, split by _ResourceId so the app is in configurationItems and the dimension. */
    public static ObjectNode containerAppLogV2() {
        ObjectNode envelope = wrapped("alert-context-log-search-v2.json");
        ObjectNode essentials = (ObjectNode) envelope.at("/data/essentials");
        essentials.put("alertId", ALERT_ID);
        essentials.set("alertTargetIDs", Json.mapper().createArrayNode().add(WORKSPACE_ID));
        essentials.set("configurationItems", Json.mapper().createArrayNode().add(APP_ID_LOWER));
        ObjectNode criterion = (ObjectNode) envelope.at("/data/alertContext/condition/allOf/0");
        criterion.put("searchQuery", "ContainerAppSystemLogs_CL | where Reason_s == 'ContainerTerminated' and Log_s has 'OOMKilled'");
        criterion.put("operator", "GreaterThan");
        criterion.put("threshold", "0");
        criterion.put("metricValue", 3);
        ArrayNode dims = criterion.putArray("dimensions");
        dims.addObject().put("name", "_ResourceId").put("value", APP_ID_LOWER);
        return envelope;
    }

    /**
     * A Log Alerts V2 alert of a rule scoped to the workspace, as Learn documents it: the workspace is
     * the target, and the app is named only by the {@code appNameDimension} dimension
     * ({@code ContainerAppName} in resource-specific tables, {@code ContainerAppName_s} in {@code _CL}
     * ones); with {@code resourceId} non-null the rule also declares {@code _ResourceId}, which then
     * is the configuration item.
     */
    public static ObjectNode workspaceScopedLogV2(String appNameDimension, String resourceId) {
        ObjectNode envelope = containerAppLogV2();
        ObjectNode essentials = (ObjectNode) envelope.at("/data/essentials");
        ArrayNode items = Json.mapper().createArrayNode();
        if (resourceId != null) {
            items.add(resourceId);
        }
        essentials.set("configurationItems", items);
        ObjectNode criterion = (ObjectNode) envelope.at("/data/alertContext/condition/allOf/0");
        criterion.put("searchQuery", appNameDimension.endsWith("_s")
                ? "ContainerAppSystemLogs_CL | where Log_s has 'OOMKilled' | summarize count() by ContainerAppName_s, _ResourceId"
                : "ContainerAppSystemLogs | where Log has 'OOMKilled' | summarize count() by ContainerAppName, _ResourceId");
        ArrayNode dims = criterion.putArray("dimensions");
        dims.addObject().put("name", appNameDimension).put("value", "api-gateway");
        if (resourceId != null) {
            dims.addObject().put("name", "_ResourceId").put("value", resourceId);
        }
        return envelope;
    }

    /** A legacy (monitoringService "Log Analytics") log alert with embedded search results naming the app. */
    public static ObjectNode containerAppLegacyLog() {
        ObjectNode envelope = full();
        ObjectNode essentials = (ObjectNode) envelope.at("/data/essentials");
        essentials.put("alertId", ALERT_ID);
        essentials.put("signalType", "Log");
        essentials.put("monitoringService", "Log Analytics");
        essentials.put("monitorCondition", "Fired");
        essentials.remove("resolvedDateTime");
        essentials.set("alertTargetIDs", Json.mapper().createArrayNode().add(WORKSPACE_ID));
        essentials.set("configurationItems", Json.mapper().createArrayNode());
        ObjectNode context = Json.mapper().createObjectNode();
        context.put("SearchQuery", "ContainerAppSystemLogs_CL | where Log_s has 'exit code 137'");
        context.put("SearchIntervalStartTimeUtc", "2019-03-22T13:40:03Z");
        context.put("SearchIntervalEndtimeUtc", "2019-03-22T13:55:03Z");
        context.put("ResultCount", 2);
        context.put("Threshold", 0);
        context.put("Operator", "Greater Than");
        context.put("AlertType", "Number of results");
        context.put("IncludedSearchResults", "True");
        ObjectNode table = context.putObject("SearchResults").putArray("tables").addObject();
        table.put("name", "PrimaryResult");
        table.putArray("columns").add(col("TimeGenerated", "datetime")).add(col("_ResourceId", "string"));
        table.putArray("rows").addArray().add("2019-03-22T13:50:00Z").add(APP_ID_LOWER);
        ((ObjectNode) envelope.get("data")).set("alertContext", context);
        return envelope;
    }

    private static ObjectNode col(String name, String type) {
        return Json.mapper().createObjectNode().put("name", name).put("type", type);
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A container-app signal (the log v2 variant) as intake reads it. */
    public static AlertSignal signal() {
        IntakeResult r = new AlertIntake(ScopeGuard.allowing(SUBSCRIPTION), java.time.Clock.systemUTC())
                .accept(bytes(containerAppLogV2()), Map.of());
        return ((IntakeResult.Accepted) r).alerts().get(0).alert();
    }
}
