package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.util.Map;

/**
 * {@code POST /api/replay}: the body is either a saved alert payload (common alert schema, or an
 * Event Grid envelope of one), or {@code {"payload": <alert>, "evidence": <bundle>?, "deliver": false}}.
 * The alert goes through the same intake as live alerts (scope guard included); the answer is the
 * note and its diagnosis as JSON. Delivery happens only with {@code "deliver": true}.
 */
final class ReplayRequests {

    private ReplayRequests() {
    }

    static String handle(Responder responder, AlertIntake intake, byte[] body) {
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
        EvidenceBundle saved = null;
        if (request.hasNonNull("evidence")) {
            try {
                saved = Json.mapper().treeToValue(request.get("evidence"), EvidenceBundle.class);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("evidence is not an evidence bundle: " + firstLine(e.getMessage()));
            }
        }
        AlertSignal alert = parse(intake, payload);
        AlertRun run = responder.replay(alert, saved, deliver, Progress.SILENT);
        return describe(run).toString();
    }

    private static AlertSignal parse(AlertIntake intake, JsonNode payload) {
        byte[] bytes;
        try {
            bytes = Json.mapper().writeValueAsBytes(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("payload cannot be read");
        }
        IntakeResult result = intake.accept(bytes, Map.of());
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
