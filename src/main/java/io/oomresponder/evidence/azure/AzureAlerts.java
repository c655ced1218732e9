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
