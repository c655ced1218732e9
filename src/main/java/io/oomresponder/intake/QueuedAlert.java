package io.oomresponder.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

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
}
