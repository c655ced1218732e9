package io.oomresponder.delivery.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.AlertKeys;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * POSTs the note as JSON, signed like GitHub webhooks: {@code X-Signature-256: sha256=<hex
 * HMAC-SHA256 of the exact body bytes>}. {@code Idempotency-Key} (the same for a resend of the
 * same alert, condition and kind) lets the receiver update instead of duplicating.
 */
public final class WebhookNotifier implements Notifier {

    public static final String NAME = "webhook";
    public static final String SIGNATURE_HEADER = "X-Signature-256";
    public static final String EVENT_TYPE = "OomResponder.IncidentDiagnosed";

    private final WebhookConfig config;
    private final SinkHttpClient http;

    public WebhookNotifier(WebhookConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        byte[] body = body(note);
        String key = idempotencyKey(note);
        HttpRequest request = http.request(config.url())
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(config.secret(), body))
                .header("Idempotency-Key", key)
                .header("X-OomResponder-Event", EVENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        http.send(NAME, note.alertId(), "post note", request);
        return new Receipt(NAME, key);
    }

    /** Same alert, condition and kind → same key. */
    public static String idempotencyKey(RenderedNote note) {
        return AlertKeys.sha256Hex((note.dedupeKey() == null ? note.alertId() : note.dedupeKey()) + "|" + note.kind()).substring(0, 32);
    }

    /** The hex HMAC-SHA256 of the body under the shared secret (what receivers recompute). */
    public static String hmacSha256Hex(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] body(RenderedNote note) {
        ObjectNode b = Json.mapper().createObjectNode();
        b.put("type", EVENT_TYPE);
        b.put("alertId", note.alertId());
        b.put("dedupeKey", note.dedupeKey());
        b.put("incidentId", note.incidentId());
        b.put("kind", note.kind().name());
        b.put("replay", note.replay());
        b.put("appResourceId", note.appResourceId());
        b.put("severity", note.severity());
        b.put("title", note.title());
        b.set("summary", note.summary());
        b.put("markdown", note.markdown());
        try {
            return Json.mapper().writeValueAsBytes(b);
        } catch (JsonProcessingException e) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "note for alert " + note.alertId() + " is not serialisable");
        }
    }
}
