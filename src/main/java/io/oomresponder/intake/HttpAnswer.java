package io.oomresponder.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;

import java.util.Map;
import java.util.Objects;

/**
 * An HTTP answer (status, JSON body, extra headers), shared by the Function entry points and
 * {@code serve} so both answer every input identically.
 *
 * @param status  HTTP status
 * @param body    JSON text
 * @param headers extra response headers (e.g. Retry-After)
 */
public record HttpAnswer(int status, String body, Map<String, String> headers) {

    /**
     * Seconds a sender should wait before retrying an alert we could not take now: the action group's
     * own first delay ({@link ActionGroupRetries#RETRY_DELAYS}), which it keeps whatever we say; Event
     * Grid and other callers may honour it.
     */
    public static final int RETRY_AFTER_SECONDS = (int) ActionGroupRetries.RETRY_DELAYS.get(0).toSeconds();

    public HttpAnswer {
        Objects.requireNonNull(body, "body");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The answer for an intake decision: 202 accepted/ignored, 200 handshake, 4xx rejected. */
    public static HttpAnswer of(IntakeResult result) {
        ObjectNode body = Json.mapper().createObjectNode();
        // Java 17: no pattern switch yet; the interface is sealed, so these four are all there is.
        if (result instanceof IntakeResult.Accepted a) {
            body.put("status", "accepted");
            ArrayNode alerts = body.putArray("alerts");
            for (QueuedAlert q : a.alerts()) {
                alerts.addObject().put("dedupeKey", q.dedupeKey())
                        .put("targetResourceId", q.alert().targetResourceId());
            }
            if (a.joined() > 0) {
                body.put("joined", a.joined());
            }
            if (a.rateLimited() > 0) {
                body.put("rateLimited", a.rateLimited());
            }
            if (a.overAppBound() > 0) {
                body.put("overAppBound", a.overAppBound()).put("reason", "one request may name at most " + AlertIntake.MAX_APPS_PER_REQUEST
                        + " apps; the rest were not queued (send them in their own requests)");
            }
            if (a.overSourceBound() > 0) {
                body.put("overSourceBound", a.overSourceBound()).put("sourceReason", "one Event Grid source may queue at most "
                        + AlertIntake.MAX_ALERTS_PER_SOURCE_PER_MINUTE + " alerts per minute; the rest were not queued");
            }
            return new HttpAnswer(202, write(body), Map.of());
        }
        if (result instanceof IntakeResult.Ignored i) {
            body.put("status", "ignored").put("reason", i.reason());
            return new HttpAnswer(202, write(body), Map.of());
        }
        if (result instanceof IntakeResult.Rejected r) {
            return error(r.status(), r.error(), r.field());
        }
        IntakeResult.Handshake h = (IntakeResult.Handshake) result;
        body.put("validationResponse", h.validationCode());
        return new HttpAnswer(200, write(body), Map.of());
    }

    /** 200 with this JSON body. */
    public static HttpAnswer ok(com.fasterxml.jackson.databind.JsonNode body) {
        return new HttpAnswer(200, write(body), Map.of());
    }

    /** {@code {"error": ..., "field": ...}} with the given 4xx status. */
    public static HttpAnswer error(int status, String error, String field) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("error", error);
        body.put("field", field);
        return new HttpAnswer(status, write(body), Map.of());
    }

    /**
     * 503 with Retry-After: a failure that a retry can fix (the queue is full, refused the message or
     * did not take it in time; the host is busy; the process is still starting). Action groups retry
     * only {@link ActionGroupRetries#RETRYABLE_STATUSES}, so every retryable failure of the intake answers this, never 500.
     */
    public static HttpAnswer retryLater(String error) {
        HttpAnswer a = error(503, error, null);
        return new HttpAnswer(503, a.body(), Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)));
    }

    /** {@link #retryLater} for a queue that is full or refused the alert. */
    public static HttpAnswer queueFull() {
        return retryLater("the alert queue did not take the alert; retry later");
    }

    /** 401: the key is missing or wrong (the key itself is never echoed or logged). */
    public static HttpAnswer unauthorized() {
        return error(401, "missing or wrong x-functions-key", "x-functions-key");
    }

    private static String write(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return Json.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // An ObjectNode of strings always serialises; this cannot happen.
            throw new IllegalStateException(e);
        }
    }
}
