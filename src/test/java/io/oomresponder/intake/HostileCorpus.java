package io.oomresponder.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.oomresponder.intake.AlertSamples.*;

/**
 * Malformed and hostile payloads, each with the exact answer intake must give. Run through the
 * Function ({@code AlertWebhookCorpusTest}) and through a real {@code serve} ({@code LocalServerTest}),
 * with {@link AlertSamples#SUBSCRIPTION} allowed.
 */
public final class HostileCorpus {

    /**
     * @param name    what the case is
     * @param body    the request body
     * @param status  expected HTTP status
     * @param kind    "accepted", "ignored" or "error"
     * @param message expected reason (ignored) or error (4xx); null for accepted
     * @param field   expected field (errors), else null
     */
    public record Case(String name, byte[] body, int status, String kind, String message, String field) {
        @Override
        public String toString() {
            return name;
        }

        /** The exact JSON body expected, or null for accepted (its keys vary). */
        public JsonNode expectedBody() {
            ObjectNode n = Json.mapper().createObjectNode();
            if (kind.equals("ignored")) {
                return n.put("status", "ignored").put("reason", message);
            }
            if (kind.equals("error")) {
                return n.put("error", message).put("field", field);
            }
            return null;
        }
    }

    private HostileCorpus() {
    }

    private static ObjectNode base() {
        return containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes");
    }

    private static byte[] mutate(Consumer<ObjectNode> change) {
        ObjectNode p = base();
        change.accept(p);
        return bytes(p);
    }

    private static ObjectNode essentials(ObjectNode p) {
        return (ObjectNode) p.at("/data/essentials");
    }

    private static ObjectNode criterion(ObjectNode p) {
        return (ObjectNode) p.at("/data/alertContext/condition/allOf/0");
    }

    private static byte[] target(String id) {
        return mutate(p -> essentials(p).set("alertTargetIDs", Json.mapper().createArrayNode().add(id)));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    private static Case error(String name, byte[] body, String error, String field) {
        return new Case(name, body, 400, "error", error, field);
    }

    private static Case ignored(String name, byte[] body, String reason) {
        return new Case(name, body, 202, "ignored", reason, null);
    }

    private static Case accepted(String name, byte[] body) {
        return new Case(name, body, 202, "accepted", null, null);
    }

    private static final String NOT_JSON = "request body is not valid JSON";
    private static final String TOO_DEEP = "JSON exceeds a parser limit (nesting deeper than 200 levels, or an oversized number or name)";
    private static final String BAD_TARGET = "target is not a well-formed container app id: ";
    private static final String BAD_CHARS = BAD_TARGET + "resource id contains a quote, pipe, backslash, space or control character";
    private static final String TARGETS = "data.essentials.alertTargetIDs";
    private static final String C0 = "data.alertContext.condition.allOf[0].";

    /** The corpus: at least 40 cases, each with its exact expected answer. */
    public static List<Case> cases() {
        String valid = new String(bytes(base()), StandardCharsets.UTF_8);
        String appBase = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups/rg-apps-eus2/providers/microsoft.app/containerapps/";
        List<Case> c = new ArrayList<>();

        c.add(accepted("the valid base payload", bytes(base())));
        // ---- bytes and JSON syntax
        c.add(error("empty body", new byte[0], "request body is empty", "body"));
        c.add(error("whitespace only", utf8("   \n "), "request body is empty", "body"));
        c.add(error("truncated JSON (half the sample)", utf8(valid.substring(0, valid.length() / 2)), NOT_JSON, "body"));
        c.add(error("truncated JSON (one brace)", utf8("{"), NOT_JSON, "body"));
        c.add(error("trailing garbage after the object", utf8(valid + "xyz"), NOT_JSON, "body"));
        c.add(error("two JSON documents", utf8(valid + valid), NOT_JSON, "body"));
        c.add(error("raw newline inside a string", utf8("{\"schemaId\":\"azureMonitor\nCommonAlertSchema\"}"), NOT_JSON, "body"));
        c.add(error("NaN literal", utf8(valid.replace("31.1105", "NaN")), NOT_JSON, "body"));
        c.add(error("single-quoted JSON", utf8("{'schemaId':'azureMonitorCommonAlertSchema'}"), NOT_JSON, "body"));
        c.add(error("invalid UTF-8 (lone continuation byte)", withBytes(valid, new byte[]{(byte) 0x80}), "request body is not valid UTF-8", "body"));
        c.add(error("invalid UTF-8 (overlong encoding)", withBytes(valid, new byte[]{(byte) 0xC0, (byte) 0xAF}), "request body is not valid UTF-8", "body"));
        c.add(error("UTF-16 encoded body", valid.getBytes(StandardCharsets.UTF_16), "request body is not valid UTF-8", "body"));
        c.add(error("10,000-deep arrays", utf8(repeat("[", 10_000) + repeat("]", 10_000)), TOO_DEEP, "body"));
        c.add(error("10,000-deep objects", utf8(repeat("{\"a\":", 10_000) + "1" + repeat("}", 10_000)), TOO_DEEP, "body"));
        c.add(error("201-deep customProperties in a valid alert",
                utf8(valid.replaceFirst("\\{", "{\"customProperties\":" + repeat("[", 201) + repeat("]", 201) + ",")), TOO_DEEP, "body"));
        c.add(error("a 2,000-digit number", utf8(valid.replace("31.1105", repeat("9", 2000))), TOO_DEEP, "body"));
        c.add(new Case("10 MB string", utf8("{\"schemaId\":\"" + repeat("x", 10 * 1024 * 1024) + "\"}"), 413, "error", "request body is larger than 262144 bytes", "body"));
        c.add(new Case("256 KB + 1 of whitespace around a valid alert", utf8(valid + repeat(" ", 256 * 1024 + 1 - valid.length())), 413, "error", "request body is larger than 262144 bytes", "body"));
        c.add(accepted("exactly 256 KB with padding", utf8(valid + repeat(" ", 256 * 1024 - valid.length()))));
        c.add(error("duplicate top-level key", utf8(valid.replaceFirst("\\{", "{\"schemaId\":\"x\",")), "JSON has a duplicate field: 'schemaId'", "body"));
        c.add(error("duplicate alertId", utf8(valid.replaceFirst("\"alertId\"", "\"alertId\":\"/x\",\"alertId\"")), "JSON has a duplicate field: 'alertId'", "body"));
        // ---- wrong JSON types and missing fields
        c.add(error("JSON null", utf8("null"), "not an Azure Monitor common alert schema payload (expected a JSON object)", "schemaId"));
        c.add(error("JSON number", utf8("42"), "not an Azure Monitor common alert schema payload (expected a JSON object)", "schemaId"));
        c.add(error("JSON string", utf8("\"alert\""), "not an Azure Monitor common alert schema payload (expected a JSON object)", "schemaId"));
        c.add(error("empty object", utf8("{}"), "not an Azure Monitor common alert schema payload (schemaId must be azureMonitorCommonAlertSchema)", "schemaId"));
        c.add(error("empty array", utf8("[]"), "event array is empty", "body"));
        c.add(error("array of numbers", utf8("[1,2]"), "each event must be a JSON object", "body"));
        c.add(error("other schemaId", mutate(p -> p.put("schemaId", "Microsoft.Insights/activityLogs")), "not an Azure Monitor common alert schema payload (schemaId must be azureMonitorCommonAlertSchema)", "schemaId"));
        c.add(error("schemaId is a number", mutate(p -> p.put("schemaId", 1)), "schemaId must be a string", "schemaId"));
        c.add(error("data missing", mutate(p -> p.remove("data")), "data is missing", "data"));
        c.add(error("data null", mutate(p -> p.putNull("data")), "data is missing", "data"));
        c.add(error("data is an array", mutate(p -> p.putArray("data")), "data must be an object", "data"));
        c.add(error("essentials missing", mutate(p -> ((ObjectNode) p.get("data")).remove("essentials")), "data.essentials is missing", "data.essentials"));
        c.add(error("alertId missing", mutate(p -> essentials(p).remove("alertId")), "data.essentials.alertId is missing", "data.essentials.alertId"));
        c.add(error("alertId null", mutate(p -> essentials(p).putNull("alertId")), "data.essentials.alertId is missing", "data.essentials.alertId"));
        c.add(error("alertId empty", mutate(p -> essentials(p).put("alertId", "")), "data.essentials.alertId is missing", "data.essentials.alertId"));
        c.add(error("alertId is a number", mutate(p -> essentials(p).put("alertId", 7)), "data.essentials.alertId must be a string", "data.essentials.alertId"));
        c.add(error("alertId is an object", mutate(p -> essentials(p).putObject("alertId")), "data.essentials.alertId must be a string", "data.essentials.alertId"));
        c.add(error("alertId with a newline", mutate(p -> essentials(p).put("alertId", "/subscriptions/x/alerts/1\nINJECTED")), "data.essentials.alertId contains a control character, quote, pipe or backslash", "data.essentials.alertId"));
        c.add(error("alertId with a pipe", mutate(p -> essentials(p).put("alertId", "/alerts/1|Fired")), "data.essentials.alertId contains a control character, quote, pipe or backslash", "data.essentials.alertId"));
        c.add(error("alertId with a NUL escape", mutate(p -> essentials(p).put("alertId", "/alerts/\u0000")), "data.essentials.alertId contains a control character, quote, pipe or backslash", "data.essentials.alertId"));
        c.add(error("alertId of 2,000 characters", mutate(p -> essentials(p).put("alertId", repeat("a", 2000))), "data.essentials.alertId is longer than 1024 characters", "data.essentials.alertId"));
        c.add(error("alertRule with a quote", mutate(p -> essentials(p).put("alertRule", "rule\" or 1=1")), "data.essentials.alertRule contains a control character, quote, pipe or backslash", "data.essentials.alertRule"));
        c.add(error("monitorCondition unknown", mutate(p -> essentials(p).put("monitorCondition", "Exploded")), "data.essentials.monitorCondition must be Fired or Resolved", "data.essentials.monitorCondition"));
        c.add(error("monitorCondition is a boolean", mutate(p -> essentials(p).put("monitorCondition", true)), "data.essentials.monitorCondition must be a string", "data.essentials.monitorCondition"));
        c.add(error("firedDateTime missing", mutate(p -> essentials(p).remove("firedDateTime")), "data.essentials.firedDateTime is missing", "data.essentials.firedDateTime"));
        c.add(error("firedDateTime not a time", mutate(p -> essentials(p).put("firedDateTime", "yesterday")), "data.essentials.firedDateTime is not an ISO-8601 time", "data.essentials.firedDateTime"));
        c.add(error("monitoringService missing", mutate(p -> essentials(p).remove("monitoringService")), "data.essentials.monitoringService is missing", "data.essentials.monitoringService"));
        c.add(error("alertTargetIDs is a string", mutate(p -> essentials(p).put("alertTargetIDs", appBase + "api-gateway")), "data.essentials.alertTargetIDs must be an array of strings", TARGETS));
        c.add(error("alertTargetIDs holds a number", mutate(p -> essentials(p).putArray("alertTargetIDs").add(5)), "data.essentials.alertTargetIDs must be an array of strings", TARGETS + "[0]"));
        c.add(ignored("alertTargetIDs empty", mutate(p -> essentials(p).putArray("alertTargetIDs")), "alert names no target resource (alertTargetIDs is empty)"));
        c.add(error("alertContext missing", mutate(p -> ((ObjectNode) p.get("data")).remove("alertContext")), "data.alertContext is missing", "data.alertContext"));
        c.add(error("allOf empty", mutate(p -> ((ObjectNode) p.at("/data/alertContext/condition")).putArray("allOf")), "data.alertContext.condition.allOf is empty", "data.alertContext.condition.allOf"));
        c.add(error("allOf is an object", mutate(p -> ((ObjectNode) p.at("/data/alertContext/condition")).putObject("allOf")), "data.alertContext.condition.allOf must be an array", "data.alertContext.condition.allOf"));
        c.add(error("allOf holds null", mutate(p -> ((ObjectNode) p.at("/data/alertContext/condition")).putArray("allOf").addNull()), "each condition.allOf entry must be an object", "data.alertContext.condition.allOf[0]"));
        c.add(error("metricValue is text", mutate(p -> criterion(p).put("metricValue", "lots")), C0 + "metricValue must be a number", C0 + "metricValue"));
        c.add(error("metricValue is an array", mutate(p -> criterion(p).putArray("metricValue")), C0 + "metricValue must be a number", C0 + "metricValue"));
        c.add(error("metricValue overflows to infinity", utf8(valid.replace("31.1105", "1e999")), C0 + "metricValue must be a finite number", C0 + "metricValue"));
        c.add(accepted("metricValue as a numeric string", mutate(p -> criterion(p).put("metricValue", "12.5"))));
        c.add(error("threshold is an object", mutate(p -> criterion(p).putObject("threshold")), C0 + "threshold must be a string or a number", C0 + "threshold"));
        c.add(error("dimensions is a string", mutate(p -> criterion(p).put("dimensions", "podName")), C0 + "dimensions must be an array of {name, value}", C0 + "dimensions"));
        c.add(error("dimension name is a number", mutate(p -> criterion(p).putArray("dimensions").addObject().put("name", 1).put("value", "x")), C0 + "dimensions must be an array of {name, value} with string names", C0 + "dimensions[0]"));
        c.add(error("windowStartTime not a time", mutate(p -> ((ObjectNode) p.at("/data/alertContext/condition")).put("windowStartTime", "12:00")), "data.alertContext.condition.windowStartTime is not an ISO-8601 time", "data.alertContext.condition.windowStartTime"));
        // ---- hostile target ids
        c.add(error("target id with a single quote", target(appBase + "api'gateway"), BAD_CHARS, TARGETS));
        c.add(error("target id with a double quote", target(appBase + "api\"gateway"), BAD_CHARS, TARGETS));
        c.add(error("target id with a pipe (KQL)", target(appBase + "api|take 1"), BAD_CHARS, TARGETS));
        c.add(error("target id with a newline", target(appBase + "api\ngateway"), BAD_CHARS, TARGETS));
        c.add(error("target id with a backslash", target(appBase + "api\\gateway"), BAD_CHARS, TARGETS));
        c.add(error("target id with ..", target(appBase + "../../../providers/microsoft.app/containerapps/x"), BAD_TARGET + "resource id contains an empty or .. path segment", TARGETS));
        c.add(error("target id with a non-GUID subscription", target("/subscriptions/not-a-guid/resourcegroups/rg/providers/microsoft.app/containerapps/api"), BAD_TARGET + "subscription id is not a GUID", TARGETS));
        c.add(error("target id naming a revision, not the app", target(appBase + "api-gateway/revisions/r1"), BAD_TARGET + "not the ARM id of a container app (Microsoft.App/containerApps)", TARGETS));
        c.add(error("target id with an upper-case-invalid app name", target(appBase + "-api"), BAD_TARGET + "container app name has characters ARM does not allow", TARGETS));
        c.add(ignored("target of another provider", target("/subscriptions/" + SUBSCRIPTION + "/resourcegroups/rg/providers/microsoft.web/sites/api"), "alert target is not a container app (microsoft.web/sites)"));
        c.add(ignored("app in another subscription", target("/subscriptions/" + OTHER_SUBSCRIPTION + "/resourcegroups/rg/providers/microsoft.app/containerapps/api"), "subscription " + OTHER_SUBSCRIPTION + " is not in ALLOWED_SUBSCRIPTIONS"));
        c.add(ignored("activity log alert", mutate(p -> essentials(p).put("monitoringService", "Activity Log - Administrative")), "activity log alerts are not handled (monitoringService Activity Log - Administrative)"));
        c.add(ignored("unknown monitoring service", mutate(p -> essentials(p).put("monitoringService", "SmartDetector")), "alerts from monitoringService SmartDetector are not handled"));
        // ---- Event Grid
        c.add(error("subscription validation without a code", utf8("[{\"id\":\"1\",\"subject\":\"\",\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"dataVersion\":\"1\",\"data\":{}}]"),
                "subscription validation event without a valid validationCode", "[0].data.validationCode"));
        c.add(error("subscription validation with markup in the code", utf8("[{\"id\":\"1\",\"subject\":\"\",\"eventType\":\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"dataVersion\":\"1\",\"data\":{\"validationCode\":\"<script>\"}}]"),
                "subscription validation event without a valid validationCode", "[0].data.validationCode"));
        c.add(error("more than 100 events", utf8("[" + String.join(",", java.util.Collections.nCopies(101, "{\"id\":\"1\"}")) + "]"), "more than 100 events in one request", "body"));
        c.add(error("CloudEvent whose alert lacks alertId", cloudEvent(mutate(p -> essentials(p).remove("alertId"))), "data.essentials.alertId is missing", "data.data.essentials.alertId"));
        c.add(ignored("Event Grid event without an alert in its data", utf8("[{\"id\":\"1\",\"subject\":\"s\",\"eventType\":\"Contoso.Other\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"dataVersion\":\"1\",\"data\":{\"x\":1}}]"),
                "event of type Contoso.Other carries no common alert schema payload"));
        c.add(error("Event Grid event without subject", utf8("[{\"id\":\"1\",\"eventType\":\"Contoso.AlertFired\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"dataVersion\":\"1\",\"data\":" + valid + "}]"),
                "not a valid Event Grid event (id, subject, eventType, eventTime, dataVersion and data are required)", "[0].subject"));
        c.add(error("CloudEvent whose source is a number", utf8("{\"specversion\":\"1.0\",\"id\":\"c1\",\"source\":5,\"type\":\"t\",\"data\":" + valid + "}"),
                "not a valid CloudEvent (id, source, type and specversion are required strings)", "source"));
        c.add(accepted("Event Grid event whose data is the alert as a JSON string", utf8("[{\"id\":\"1\",\"subject\":\"s\",\"eventType\":\"Contoso.AlertFired\",\"eventTime\":\"2026-01-01T00:00:00Z\",\"dataVersion\":\"1\",\"data\":"
                + Json.mapper().getNodeFactory().textNode(valid) + "}]")));
        return c;
    }

    private static byte[] cloudEvent(byte[] data) {
        try {
            ObjectNode e = Json.mapper().createObjectNode();
            e.put("specversion", "1.0").put("id", "c1").put("source", "/contoso/alerts").put("type", "Contoso.Alerts.AlertFired");
            e.set("data", Json.mapper().readTree(data));
            return bytes(e);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The valid payload with raw bytes spliced into the alert rule name. */
    private static byte[] withBytes(String valid, byte[] raw) {
        int at = valid.indexOf("WCUS-R2-Gen2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = valid.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = valid.substring(at).getBytes(StandardCharsets.UTF_8);
        out.write(head, 0, head.length);
        out.write(raw, 0, raw.length);
        out.write(tail, 0, tail.length);
        return out.toByteArray();
    }
}
