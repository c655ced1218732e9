package io.oomresponder.evidence.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads a past alert from Azure Monitor's Alerts Management API (GET the alert by its id), so
 * {@code replay --alert-id} can replay it without its original payload. Read-only.
 */
public final class AzureAlerts {

    /** The api-version of Alerts - Get By Id that the public examples use. */
    public static final String API_VERSION = "2019-05-05-preview";

    private static final Pattern ALERT_ID = Pattern.compile(
            "/subscriptions/[0-9a-fA-F-]{36}/providers/Microsoft\\.AlertsManagement/alerts/[0-9a-fA-F-]{36}", Pattern.CASE_INSENSITIVE);

    private final HttpPipeline pipeline;
    private final String resourceManager;

    public AzureAlerts(AzureClients clients) {
        Objects.requireNonNull(clients, "clients");
        this.pipeline = clients.armPipeline();
        String arm = clients.endpoints().resourceManager();
        this.resourceManager = arm.endsWith("/") ? arm.substring(0, arm.length() - 1) : arm;
    }

    /**
     * The alert, normalised like an alert payload.
     *
     * @throws IllegalArgumentException when the id is malformed, no such alert exists, or it is not about a container app
     * @throws IllegalStateException    when Azure answers with another error
     */
    public AlertSignal get(String alertId) {
        if (alertId == null || !ALERT_ID.matcher(alertId).matches()) {
            throw new IllegalArgumentException("not an Azure Monitor alert id (/subscriptions/<guid>/providers/Microsoft.AlertsManagement/alerts/<guid>)");
        }
        HttpRequest request = new HttpRequest(HttpMethod.GET, resourceManager + alertId + "?api-version=" + API_VERSION);
        try (HttpResponse response = pipeline.sendSync(request, com.azure.core.util.Context.NONE)) {
            if (response.getStatusCode() == 404) {
                throw new IllegalArgumentException("Azure Monitor has no alert with this id (404)");
            }
            if (response.getStatusCode() == 401 || response.getStatusCode() == 403) {
                // Typed, so the caller can say "could not sign in" (see AzureSignIn) rather than a bare status.
                throw new HttpResponseException("the Alerts Management API answered " + response.getStatusCode(), response);
            }
            if (response.getStatusCode() / 100 != 2) {
                throw new IllegalStateException("the Alerts Management API answered " + response.getStatusCode());
            }
            return parse(alertId, Json.mapper().readTree(response.getBodyAsBinaryData().toBytes()));
        } catch (IOException e) {
            throw new IllegalStateException("the Alerts Management API answered with something that is not JSON");
        }
    }

    /** Longest list read in one reconcile: pages of {@link #PAGE_SIZE}. */
    static final int MAX_PAGES = 20;
    /** Alerts - Get All's largest page (pageCount 1..250). */
    static final int PAGE_SIZE = 250;
    /**
     * Alerts - Get All at any scope ({@code /{scope}/providers/Microsoft.AlertsManagement/alerts}, Learn REST
     * 2023-07-12-preview): a resource group scope works with the resource-group roles the infra grants,
     * where 2019-05-05-preview only lists a whole subscription.
     */
    public static final String LIST_API_VERSION = "2023-07-12-preview";
    private static final Pattern SCOPE = Pattern.compile(
            "/subscriptions/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(/resourceGroups/[-\\w.()]{1,90})?");

    /**
     * The container-app alerts Azure Monitor fired in one scope (a subscription or one of its resource
     * groups) in the last hour (Alerts - Get All, {@code timeRange=1h}, every page), each as the Fired notification an action group would
     * have sent: condition Fired, fired at the alert's {@code startDateTime}, even if it has resolved
     * since. Alerts about other resource types (or log alerts whose target is a workspace) are left out.
     *
     * @throws IllegalStateException when Azure answers with an error
     */
    public java.util.List<AlertSignal> firedLastHour(String scope) {
        if (scope == null || !SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("not a subscription or resource group scope: /subscriptions/<guid>[/resourceGroups/<name>]");
        }
        java.util.List<AlertSignal> out = new java.util.ArrayList<>();
        String url = resourceManager + scope + "/providers/Microsoft.AlertsManagement/alerts?api-version="
                + LIST_API_VERSION + "&timeRange=1h&pageCount=" + PAGE_SIZE;
        for (int page = 0; url != null && page < MAX_PAGES; page++) {
            JsonNode body = getJson(url);
            for (JsonNode alert : body.path("value")) {
                String id = alert.path("id").asText("");
                if (!ALERT_ID.matcher(id).matches()
                        || !ContainerAppId.mentionsContainerApps(alert.path("properties").path("essentials").path("targetResource").asText(""))
                        || !intakeAcceptsKind(alert.path("properties").path("essentials"))) {
                    continue;
                }
                try {
                    AlertSignal a = parse(id, alert);
                    out.add(new AlertSignal(a.id(), a.rule(), a.signal(), AlertSignal.Condition.Fired, a.firedAt(), null, a.targetResourceId(),
                            null, a.severity(), null, null, null, Map.of(), null, null));
                } catch (IllegalArgumentException e) {
                    // A malformed target or time: not an alert this app could have handled.
                }
            }
            String next = body.path("nextLink").asText(null);
            url = next == null || next.isBlank() ? null : next;
        }
        return out;
    }

    /**
     * Whether the intake would accept an alert of this kind: a metric alert from the platform or a
     * log search alert (Log Alerts V2, legacy Log Analytics / Application Insights). Activity log,
     * smart detection and other services are ignored at the door, so they are never queued late.
     */
    static boolean intakeAcceptsKind(JsonNode essentials) {
        String service = essentials.path("monitorService").asText("").toLowerCase(Locale.ROOT);
        String signal = essentials.path("signalType").asText("").toLowerCase(Locale.ROOT);
        return (service.equals("platform") && signal.equals("metric"))
                || ((service.equals("log alerts v2") || service.equals("log analytics") || service.equals("application insights")) && signal.equals("log"));
    }

    private JsonNode getJson(String url) {
        HttpRequest request = new HttpRequest(HttpMethod.GET, url);
        try (HttpResponse response = pipeline.sendSync(request, com.azure.core.util.Context.NONE)) {
            if (response.getStatusCode() / 100 != 2) {
                throw new IllegalStateException("the Alerts Management API answered " + response.getStatusCode() + " to the alert list");
            }
            return Json.mapper().readTree(response.getBodyAsBinaryData().toBytes());
        } catch (IOException e) {
            throw new IllegalStateException("the Alerts Management API answered with something that is not JSON");
        }
    }

    static AlertSignal parse(String alertId, JsonNode alert) {
        JsonNode e = alert.path("properties").path("essentials");
        String target = e.path("targetResource").asText("");
        if (!ContainerAppId.mentionsContainerApps(target)) {
            throw new IllegalArgumentException("the alert is not about a container app (target type " + e.path("targetResourceType").asText("?") + ")");
        }
        String appId = ContainerAppId.parse(target).toString();
        String rule = e.path("alertRule").asText(alert.path("name").asText("alert"));
        String ruleName = rule.substring(rule.lastIndexOf('/') + 1);
        String signalType = e.path("signalType").asText("").toLowerCase(Locale.ROOT);
        AlertSignal.Signal signal = signalType.equals("log") ? AlertSignal.Signal.OOMKilledLog : AlertSignal.Signal.Other;
        AlertSignal.Condition condition = "Resolved".equalsIgnoreCase(e.path("monitorCondition").asText())
                ? AlertSignal.Condition.Resolved : AlertSignal.Condition.Fired;
        Instant firedAt = instant(e.path("startDateTime").asText(null), "startDateTime");
        Instant resolvedAt = e.hasNonNull("monitorConditionResolvedDateTime")
                ? instant(e.get("monitorConditionResolvedDateTime").asText(), "monitorConditionResolvedDateTime") : null;
        return new AlertSignal(alertId, ruleName, signal, condition, firedAt, resolvedAt, appId, null,
                e.path("severity").asText(null), null, null, null, Map.of(), null, null);
    }

    private static Instant instant(String text, String field) {
        if (text == null) {
            throw new IllegalArgumentException("the alert has no " + field);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("the alert's " + field + " is not an ISO-8601 time");
        }
    }
}
