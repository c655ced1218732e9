package io.oomresponder.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;

/** Reading sink response bodies, which are untrusted: a malformed body is a failed delivery, never a crash. */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static JsonNode parse(String sink, String alertId, String operation, String body) {
        try {
            JsonNode node = Json.mapper().readTree(body == null ? "" : body);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("empty");
            }
            return node;
        } catch (Exception e) {
            throw new DeliveryException(sink, DeliveryException.Reason.OTHER, true, null,
                    "sink " + sink + " answered " + operation + " for alert " + alertId + " with a body that is not JSON", null);
        }
    }
}
