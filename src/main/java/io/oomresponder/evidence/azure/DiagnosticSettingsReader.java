package io.oomresponder.evidence.azure;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.evidence.azure.EvidenceQueries.TableFamily;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the Log Analytics workspaces of a managed environment whose logs go to {@code azure-monitor}:
 * such an environment names no workspace; its diagnostic settings
 * ({@code GET {environmentId}/providers/Microsoft.Insights/diagnosticSettings}, api-version
 * {@value #DIAGNOSTIC_SETTINGS_API}) send the ContainerAppSystemLogs / ContainerAppConsoleLogs
 * categories (or the {@code allLogs} group) to workspaces named by ARM id, and each workspace's
 * customer id, which the query API needs, is its {@code properties.customerId}
 * ({@code GET {workspaceId}}, api-version {@value #WORKSPACE_API}). Settings without a workspace
 * (storage, event hub, partner) are skipped. Calls go through the ARM pipeline (token, retries,
 * call timing).
 */
final class DiagnosticSettingsReader {

    static final String DIAGNOSTIC_SETTINGS_API = "2021-05-01-preview";
    static final String WORKSPACE_API = "2023-09-01";
    static final String SYSTEM_CATEGORY = "ContainerAppSystemLogs";
    static final String CONSOLE_CATEGORY = "ContainerAppConsoleLogs";

    private final HttpPipeline pipeline;
    private final String resourceManager;
    /** A workspace's customer id never changes; bounded by the workspaces of the environments watched. */
    private final Map<String, String> customerIdByWorkspace = new ConcurrentHashMap<>();

    DiagnosticSettingsReader(HttpPipeline pipeline, String resourceManager) {
        this.pipeline = pipeline;
        this.resourceManager = resourceManager.endsWith("/") ? resourceManager.substring(0, resourceManager.length() - 1) : resourceManager;
    }

    /**
     * The workspaces the environment's diagnostic settings send its system and console logs to.
     *
     * @throws AzureEvidenceSource.MissingPrerequisite when no setting sends either to a workspace
     * @throws ArmCallFailed when ARM refuses a call
     */
    LogWorkspaces workspacesOf(String environmentId, Context context) {
        JsonNode settings = get(environmentId + "/providers/Microsoft.Insights/diagnosticSettings", DIAGNOSTIC_SETTINGS_API, context);
        List<String> system = new ArrayList<>();
        List<String> console = new ArrayList<>();
        for (JsonNode setting : settings.path("value")) {
            JsonNode p = setting.path("properties");
            String workspace = p.path("workspaceId").asText("");
            if (workspace.isBlank()) {
                continue;
            }
            boolean sendsSystem = sends(p, SYSTEM_CATEGORY);
            boolean sendsConsole = sends(p, CONSOLE_CATEGORY);
            if (!sendsSystem && !sendsConsole) {
                continue;
            }
            String customerId = customerIdByWorkspace.computeIfAbsent(workspace.toLowerCase(Locale.ROOT), w -> customerId(workspace, context));
            if (sendsSystem && !system.contains(customerId)) {
                system.add(customerId);
            }
            if (sendsConsole && !console.contains(customerId)) {
                console.add(customerId);
            }
        }
        if (system.isEmpty() && console.isEmpty()) {
            throw new AzureEvidenceSource.MissingPrerequisite("the environment's logs go to Azure Monitor but no diagnostic setting sends "
                    + SYSTEM_CATEGORY + " or " + CONSOLE_CATEGORY + " to a Log Analytics workspace");
        }
        return new LogWorkspaces(system, console, TableFamily.RESOURCE_SPECIFIC, "diagnostic settings");
    }

    /** Whether a diagnostic setting's enabled logs include this category. */
    private static boolean sends(JsonNode settingProperties, String category) {
        for (JsonNode log : settingProperties.path("logs")) {
            if (!log.path("enabled").asBoolean(false)) {
                continue;
            }
            // "allLogs" holds every category; whether "audit" holds these two is not documented, so it does not count.
            if (log.path("categoryGroup").asText("").equalsIgnoreCase("allLogs") || log.path("category").asText("").equalsIgnoreCase(category)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ARM ids of the workspaces the environment's diagnostic settings send its system logs to
     * (what a log alert rule is scoped to), in the settings' order; empty when none does.
     */
    List<String> systemLogWorkspaceResourceIds(String environmentId, Context context) {
        List<String> out = new ArrayList<>();
        for (JsonNode setting : get(environmentId + "/providers/Microsoft.Insights/diagnosticSettings", DIAGNOSTIC_SETTINGS_API, context).path("value")) {
            JsonNode p = setting.path("properties");
            String workspace = p.path("workspaceId").asText("");
            if (!workspace.isBlank() && sends(p, SYSTEM_CATEGORY) && out.stream().noneMatch(workspace::equalsIgnoreCase)) {
                out.add(workspace);
            }
        }
        return out;
    }

    /**
     * The ARM id of the workspace with this customer id among the subscription's workspaces
     * (Workspaces - List, api-version {@value #WORKSPACE_API}), or empty: a {@code log-analytics}
     * environment names only the customer id, and the workspace may live in another subscription.
     */
    java.util.Optional<String> workspaceResourceIdOf(String customerId, String subscriptionId, Context context) {
        for (JsonNode ws : get("/subscriptions/" + subscriptionId + "/providers/Microsoft.OperationalInsights/workspaces", WORKSPACE_API, context).path("value")) {
            if (customerId.equalsIgnoreCase(ws.path("properties").path("customerId").asText(""))) {
                return java.util.Optional.of(ws.path("id").asText());
            }
        }
        return java.util.Optional.empty();
    }

    /** The customer id (what the query API takes) of the workspace with this ARM id; cached, it never changes. */
    String workspaceCustomerId(String workspaceResourceId, Context context) {
        return customerIdByWorkspace.computeIfAbsent(workspaceResourceId.toLowerCase(Locale.ROOT), w -> customerId(workspaceResourceId, context));
    }

    private String customerId(String workspaceResourceId, Context context) {
        String id = get(workspaceResourceId, WORKSPACE_API, context).path("properties").path("customerId").asText("");
        if (id.isBlank()) {
            throw new AzureEvidenceSource.MissingPrerequisite("a diagnostic setting names a workspace without a customer id");
        }
        return id;
    }

    private JsonNode get(String resourcePath, String apiVersion, Context context) {
        return get(pipeline, resourceManager + resourcePath + "?api-version=" + apiVersion, context);
    }

    /**
     * GET an ARM URL through the pipeline and read its JSON body.
     *
     * @throws ArmCallFailed when ARM answers other than 2xx (status and error code, never the message)
     */
    static JsonNode get(HttpPipeline pipeline, String url, Context context) {
        HttpRequest request = new HttpRequest(HttpMethod.GET, url);
        try (HttpResponse response = pipeline.sendSync(request, context)) {
            byte[] body = response.getBodyAsBinaryData().toBytes();
            if (response.getStatusCode() / 100 != 2) {
                String code = null;
                try {
                    code = Json.mapper().readTree(body).path("error").path("code").asText(null);
                } catch (IOException | RuntimeException ignored) {
                    // No JSON error body: the status alone says it.
                }
                throw new ArmCallFailed(response.getStatusCode(), code);
            }
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AzureEvidenceSource.MissingPrerequisite("ARM answered with something that is not JSON");
        }
    }

    /** ARM refused a call made without an SDK client: status and service error code, never the message. */
    static final class ArmCallFailed extends RuntimeException {
        private final int status;
        private final String code;

        ArmCallFailed(int status, String code) {
            super("HTTP " + status + (code == null || code.isBlank() ? "" : " " + code.replaceAll("[^A-Za-z0-9_.-]", "")), null, false, false);
            this.status = status;
            this.code = code == null || code.isBlank() ? null : code.replaceAll("[^A-Za-z0-9_.-]", "");
        }

        int status() {
            return status;
        }

        /** Azure's error code, cleaned; null when the body had none. */
        String code() {
            return code;
        }
    }
}
