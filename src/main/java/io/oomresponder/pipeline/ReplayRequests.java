package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.json.Json;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.intake.AsciiNames;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.intake.ScopeGuard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /api/replay}: the body is either a saved alert payload (common alert schema, or an
 * Event Grid envelope of one), or {@code {"payload": <alert>, "evidence": <bundle>?, "deliver": false, "sinks": [..]?}}.
 * The alert goes through the same intake as live alerts (scope guard included); a saved bundle must be
 * about the same app, and its app and its alert pass the same scope check, so a forged bundle cannot
 * make a note about an app outside the scope. The answer is the note and its diagnosis as JSON.
 * Delivery happens only with {@code "deliver": true} and {@link ReplayPermission#MAY_DELIVER}, and
 * reaches a paging sink only when {@code "sinks"} names it.
 */
final class ReplayRequests {

    private ReplayRequests() {
    }

    static String handle(Responder responder, AlertIntake intake, byte[] body, ReplayPermission permission) {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("replay needs a body: a saved alert payload, or {\"payload\": ..., \"deliver\": false}");
        }
        JsonNode request;
        try {
            request = Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("replay body is not JSON");
        }
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("replay body must be a JSON object");
        }
        JsonNode payload = request.has("payload") ? request.get("payload") : request;
        boolean deliver = request.path("deliver").asBoolean(false);
        if (deliver && permission != ReplayPermission.MAY_DELIVER) {
            throw new ReplayRefusedException("delivering a replay needs its own permission (serve: the " + "x-replay-delivery-key"
                    + " header with SERVE_REPLAY_DELIVERY_KEY; Functions: the admin-level ReplayDeliver function with REPLAY_DELIVERY_ENABLED=true); "
                    + "without it a replay is a dry run");
        }
        Set<String> sinks = sinkNames(request.get("sinks"));
        EvidenceBundle saved = null;
        if (request.hasNonNull("evidence")) {
            try {
                saved = Json.mapper().treeToValue(request.get("evidence"), EvidenceBundle.class);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("evidence is not an evidence bundle: " + firstLine(e.getMessage()));
            }
        }
        AlertSignal alert = parse(intake, payload);
        if (saved != null) {
            checkBundle(intake.scope(), saved, ContainerAppId.parse(alert.targetResourceId()));
            // The note speaks of the checked payload's alert, never of one the bundle carries.
            saved = saved.withAlert(alert);
        }
        AlertRun run = responder.replay(alert, saved, deliver, sinks, Progress.SILENT);
        return describe(run).toString();
    }

    /**
     * A saved bundle is untrusted like the payload: its app and its alert's target must be well-formed
     * container-app ids inside the scope, agree with each other, and name the payload's app.
     */
    private static void checkBundle(ScopeGuard scope, EvidenceBundle bundle, ContainerAppId payloadApp) {
        if (bundle.app() == null || bundle.app().resourceId() == null) {
            throw new IllegalArgumentException("evidence names no app (app.resourceId)");
        }
        ContainerAppId app = bundleId(bundle.app().resourceId(), "evidence.app.resourceId");
        List<ContainerAppId> named = new ArrayList<>(List.of(app));
        if (bundle.alert() != null && bundle.alert().targetResourceId() != null) {
            named.add(bundleId(bundle.alert().targetResourceId(), "evidence.alert.targetResourceId"));
        }
        AppConfig a = bundle.app();
        if (!same(a.subscriptionId(), app.subscriptionId()) || !same(a.resourceGroup(), app.resourceGroup()) || !same(a.name(), app.name())) {
            throw new IllegalArgumentException("evidence.app's subscriptionId, resourceGroup and name do not match its resourceId");
        }
        for (ContainerAppId id : named) {
            scope.refusal(id).ifPresent(why -> {
                throw new IllegalArgumentException("evidence is out of scope: " + why);
            });
            if (!sameApp(id, payloadApp)) {
                throw new IllegalArgumentException("evidence is about another app than the payload (" + id + " vs " + payloadApp + ")");
            }
        }
    }

    private static ContainerAppId bundleId(String id, String field) {
        try {
            return ContainerAppId.parse(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    private static boolean sameApp(ContainerAppId a, ContainerAppId b) {
        return a.subscriptionId().equals(b.subscriptionId()) && AsciiNames.equalIgnoringCase(a.resourceGroup(), b.resourceGroup())
                && a.name().equals(b.name());
    }

    /** An absent field agrees; a present one must equal the id's part (ASCII case-insensitive). */
    private static boolean same(String field, String fromId) {
        return field == null || AsciiNames.equalIgnoringCase(field, fromId);
    }

    private static Set<String> sinkNames(JsonNode sinks) {
        if (sinks == null || sinks.isNull()) {
            return Set.of();
        }
        if (!sinks.isArray()) {
            throw new IllegalArgumentException("sinks must be an array of sink names");
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode n : sinks) {
            if (!n.isTextual() || !AsciiNames.isAscii(n.asText())) {
                throw new IllegalArgumentException("sinks must be an array of sink names");
            }
            names.add(AsciiNames.lower(n.asText().trim()));
        }
        return names;
    }

    private static AlertSignal parse(AlertIntake intake, JsonNode payload) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload cannot be read");
        }
        IntakeResult result = intake.read(bytes);
        if (result instanceof IntakeResult.Accepted accepted) {
            return accepted.alerts().get(0).alert();
        }
        if (result instanceof IntakeResult.Rejected rejected) {
            throw new IllegalArgumentException(rejected.error() + (rejected.field() == null ? "" : " (" + rejected.field() + ")"));
        }
        if (result instanceof IntakeResult.Ignored ignored) {
            throw new IllegalArgumentException("nothing to replay: " + ignored.reason());
        }
        throw new IllegalArgumentException("payload is not an alert");
    }

    /** The replay answer: what was found and the note, as JSON. */
    static ObjectNode describe(AlertRun run) {
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("status", "replayed");
        out.put("detail", run.outcome().detail());
        if (run.diagnosis() != null) {
            out.put("verdict", run.diagnosis().verdict().name());
            out.put("confidence", run.diagnosis().confidence());
            out.set("path", Json.mapper().valueToTree(run.diagnosis().path()));
        }
        if (run.bundle() != null) {
            out.set("gaps", Json.mapper().valueToTree(run.bundle().gaps()));
        }
        if (run.note() != null) {
            out.put("title", run.note().title());
            out.put("markdown", run.note().markdown());
        }
        out.set("delivered", Json.mapper().valueToTree(run.receipts().stream().map(Receipt::sink).toList()));
        out.set("parked", Json.mapper().valueToTree(run.parked()));
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
