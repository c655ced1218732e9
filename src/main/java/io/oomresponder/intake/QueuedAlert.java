package io.oomresponder.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.oomresponder.json.Json;

import java.time.Instant;
import java.util.Objects;

/**
 * The message put on the {@code alerts} queue for one accepted alert: the normalised signal
 * (without its raw payload), the dedupe key ({@code alertId|monitorCondition}) and when it arrived.
 *
 * @param dedupeKey  {@link AlertSignal#dedupeKey()}
 * @param alert      the signal, without {@code raw}
 * @param receivedAt when intake accepted it
 * @param replay     true when a person replays a past alert (notes are marked as replays)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueuedAlert(String dedupeKey, AlertSignal alert, Instant receivedAt, boolean replay) {

    public QueuedAlert {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    public static QueuedAlert of(AlertSignal alert, Instant receivedAt) {
        return new QueuedAlert(alert.dedupeKey(), alert.withoutRaw(), receivedAt, false);
    }

    /** The queue message text (JSON), as written to the {@code alerts} queue. */
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("queued alert does not serialise", e);
        }
    }

    /**
     * Reads a queue message.
     *
     * @throws IllegalArgumentException when the text is not a queued alert
     */
    public static QueuedAlert fromJson(String json) {
        try {
            return Json.mapper().readValue(json, QueuedAlert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a queued alert message: " + e.getOriginalMessage());
        }
    }
}
