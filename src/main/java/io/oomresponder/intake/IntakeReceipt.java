package io.oomresponder.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the intake did with one alert it did not queue for the pipeline: folded into another of the
 * same request ({@link #JOINED}), held back by the app's rate limit ({@link #RATE_LIMITED}) or
 * ignored ({@link #IGNORED}, with its reason). The reconcile must see these as received, or it would
 * queue them again later and undo the intake's decision. They travel on the {@code alerts} queue as
 * one message per request ({@code {"receipts": [...]}}), because the intake of the Function must not
 * load a storage SDK client before its first answer; the worker records them and runs nothing.
 *
 * @param dedupeKey  {@code alertId|condition}
 * @param alertId    Azure Monitor's alert id
 * @param target     the alert's target as read (the app, a workspace), or null
 * @param outcome    {@link #JOINED}, {@link #RATE_LIMITED} or {@link #IGNORED}
 * @param reason     why (for ignored alerts), or null
 * @param receivedAt when the intake decided
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IntakeReceipt(String dedupeKey, String alertId, String target, String outcome, String reason, Instant receivedAt) {

    /** Queued for the pipeline (the worker records these itself). */
    public static final String ACCEPTED = "accepted";
    /** Left out because another alert of the same request names the same app, signal and condition. */
    public static final String JOINED = "joined";
    /** Left out because the app was over its rate limit. */
    public static final String RATE_LIMITED = "rate-limited";
    /** Not an alert oom-responder acts on (other metric, out of scope, ...). */
    public static final String IGNORED = "ignored";

    private static final String FIELD = "receipts";

    public IntakeReceipt {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The receipt of an alert the intake read but did not queue. */
    static IntakeReceipt of(AlertSignal alert, String outcome, String reason, Instant at) {
        return new IntakeReceipt(alert.dedupeKey(), alert.id(), alert.targetResourceId(), outcome, reason, at);
    }

    /** One queue message holding these receipts. */
    public static String toMessage(List<IntakeReceipt> receipts) {
        try {
            return Json.mapper().writeValueAsString(java.util.Map.of(FIELD, receipts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("receipts do not serialise", e);
        }
    }

    /** The receipts of a queue message, or empty when the message is an alert (or anything else). */
    public static Optional<List<IntakeReceipt>> fromMessage(String message) {
        if (message == null || !message.startsWith("{\"" + FIELD + "\"")) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.mapper().readTree(message).get(FIELD);
            if (node == null || !node.isArray()) {
                return Optional.empty();
            }
            List<IntakeReceipt> out = new ArrayList<>();
            for (JsonNode r : node) {
                out.add(Json.mapper().treeToValue(r, IntakeReceipt.class));
            }
            return Optional.of(out);
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("not a receipts message: " + e.getMessage());
        }
    }
}
