package io.oomresponder.evidence.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.models.ResponseError;
import com.azure.json.JsonSerializable;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an Azure service said when it refused a call: the HTTP status and the error body's
 * {@code code} and {@code message}. The metrics API writes them at the top level, the batch API and
 * ARM under {@code error} (Learn, "Migrate from the metrics API to the getBatch API", error
 * response changes; ARM's common error response). The body is read as the service sent it; the
 * clients' deserialized error models (whose type and expected shape differ per client) are the
 * fallback when it cannot be read again.
 *
 * <p>The message is kept because it tells the reader what Azure refused (for example "Metric:
 * Replicas does not support requested dimension combination: podname, supported ones are:
 * revisionName"). It is cleaned for a note: control characters go, URLs (which may carry tokens)
 * become {@code <url>}, and it is cut at {@value #MAX_MESSAGE} characters.
 *
 * @param status  HTTP status
 * @param code    the service's error code, or null when the body had none
 * @param message the cleaned service message, or null
 */
record AzureServiceError(int status, String code, String message) {

    static final int MAX_MESSAGE = 300;
    private static final Pattern URL = Pattern.compile("https?://\\S+", Pattern.CASE_INSENSITIVE);
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,80}");

    /** The service error carried by this exception, if it is an HTTP answer. */
    static Optional<AzureServiceError> of(HttpResponseException e) {
        if (e.getResponse() == null) {
            return Optional.empty();
        }
        int status = e.getResponse().getStatusCode();
        String code = null;
        String message = null;
        Object value = e.getValue();
        JsonNode body = rawBody(e);
        if (body != null && body.isObject()) {
            JsonNode error = body.has("error") ? body.get("error") : body;
            code = text(error, "code");
            message = text(error, "message");
        }
        if (code != null) {
            // Azure's own words, whichever shape the client's error model expected.
        } else if (e instanceof ManagementException m && m.getValue() != null) {
            code = m.getValue().getCode();
            message = m.getValue().getMessage();
        } else if (value instanceof ResponseError r) {
            code = r.getCode();
            message = r.getMessage();
        } else if (value instanceof JsonSerializable<?> model) {
            JsonNode node = readTree(model);
            JsonNode error = node.has("error") ? node.get("error") : node;
            code = text(error, "code");
            message = text(error, "message");
        }
        return Optional.of(new AzureServiceError(status, cleanCode(code), cleanMessage(message)));
    }

    /** "HTTP 400 BadRequest: Metric: Replicas does not support ...". */
    String describe() {
        StringBuilder s = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            s.append(' ').append(code);
        }
        if (message != null) {
            s.append(": ").append(message);
        }
        return s.toString();
    }

    static String cleanMessage(String message) {
        if (message == null) {
            return null;
        }
        String s = URL.matcher(message).replaceAll("<url>").replaceAll("\\p{Cntrl}+", " ").strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static String cleanCode(String code) {
        return code != null && CODE.matcher(code).matches() ? code : null;
    }

    /** The error body as the service sent it; the SDK buffers it, but null if it cannot be read again. */
    private static JsonNode rawBody(HttpResponseException e) {
        try {
            String text = e.getResponse().getBodyAsString().block();
            return text == null || text.isBlank() ? null : Json.mapper().readTree(text);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    private static JsonNode readTree(JsonSerializable<?> body) {
        try {
            return Json.mapper().readTree(body.toJsonString());
        } catch (IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
