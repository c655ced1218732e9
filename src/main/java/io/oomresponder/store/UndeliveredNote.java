package io.oomresponder.store;

import io.oomresponder.note.RenderedNote;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A note one sink has not taken yet, waiting for redelivery (or reported after it aged out).
 *
 * @param note          the rendered note, exactly as it will be sent
 * @param sink          the sink ({@link io.oomresponder.delivery.Notifier#name()}) that did not take it
 * @param status        PENDING while being retried, EXPIRED once it aged out or failed for good
 * @param firstFailedAt when the first delivery attempt failed; the age counts from here
 * @param attempts      failed or started delivery attempts so far (the first, failed one included)
 * @param nextAttemptAt when it is due again
 * @param lastError     the last failure, short and without secrets, or null
 * @param version       storage version (ETag) this copy was read at; null before it is saved
 */
public record UndeliveredNote(
        RenderedNote note,
        String sink,
        Status status,
        Instant firstFailedAt,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        String version) {

    /** Stored errors are cut to this length. */
    static final int MAX_ERROR_CHARS = 500;

    public UndeliveredNote {
        Objects.requireNonNull(note, "note");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(firstFailedAt, "firstFailedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (sink.isBlank()) {
            throw new IllegalArgumentException("sink must not be blank");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, was " + attempts);
        }
        if (lastError != null && lastError.length() > MAX_ERROR_CHARS) {
            lastError = lastError.substring(0, MAX_ERROR_CHARS) + "…";
        }
    }

    /** PENDING notes are retried; EXPIRED ones were reported and are kept for the record. */
    public enum Status { PENDING, EXPIRED }

    /** A note whose first delivery to {@code sink} just failed. */
    public static UndeliveredNote firstFailure(RenderedNote note, String sink, Instant failedAt, Instant nextAttemptAt, String error) {
        return new UndeliveredNote(note, sink, Status.PENDING, failedAt, 1, nextAttemptAt, error, null);
    }

    /**
     * The identity of this note in the store: one per alert, condition, replay flag and sink, so a
     * second failure of the same note to the same sink does not queue it twice.
     */
    public String key() {
        String alert = note.dedupeKey() != null ? note.dedupeKey() : note.alertId() + "|" + note.kind();
        return alert + (note.replay() ? "|replay" : "") + "|" + sink;
    }

    /** How long ago it first failed. */
    public Duration age(Instant now) {
        return Duration.between(firstFailedAt, now);
    }

    /** A copy with one more attempt counted, due again at {@code next}. */
    public UndeliveredNote withAttempt(Instant next) {
        return new UndeliveredNote(note, sink, status, firstFailedAt, attempts + 1, next, lastError, version);
    }

    /** A copy that records a failure and the time it is due again. */
    public UndeliveredNote withFailure(String error, Instant next) {
        return new UndeliveredNote(note, sink, status, firstFailedAt, attempts, next, error, version);
    }

    /** A copy marked expired. */
    public UndeliveredNote expired(String reason) {
        return new UndeliveredNote(note, sink, Status.EXPIRED, firstFailedAt, attempts, nextAttemptAt, reason == null ? lastError : reason, version);
    }

    /** This note as stored at {@code newVersion}. */
    public UndeliveredNote withVersion(String newVersion) {
        return new UndeliveredNote(note, sink, status, firstFailedAt, attempts, nextAttemptAt, lastError, newVersion);
    }
}
