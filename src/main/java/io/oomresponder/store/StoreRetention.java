package io.oomresponder.store;

import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long the store keeps what it no longer needs. Table storage has no time-to-live, so a timer
 * ({@code SweepStore}, and a loop in {@code serve}) deletes older rows.
 *
 * @param claims    finished alert claims (RETENTION_CLAIMS, default 8 days): longer than a queue
 *                  message lives (7 days), so a late copy of an alert is still known as a duplicate
 * @param incidents incidents whose last alert is older (RETENTION_INCIDENTS, default 90 days):
 *                  never shorter than INCIDENT_RECURRENCE_WINDOW or INCIDENT_COOLDOWN
 * @param notes     notes that were reported undeliverable (RETENTION_NOTES, default 30 days)
 * @param receipts  receipts of alerts received (RETENTION_RECEIPTS, default 2 days): the reconcile reads
 *                  the last 65 minutes, so at least {@link #MIN_RECEIPTS}
 */
public record StoreRetention(Duration claims, Duration incidents, Duration notes, Duration receipts) {

    public static final Duration DEFAULT_CLAIMS = Duration.ofDays(8);
    public static final Duration DEFAULT_INCIDENTS = Duration.ofDays(90);
    public static final Duration DEFAULT_NOTES = Duration.ofDays(30);
    public static final Duration DEFAULT_RECEIPTS = Duration.ofDays(2);
    /** Longer than the reconcile's window plus its grace (1 h + 5 min by default), with room for a larger grace. */
    public static final Duration MIN_RECEIPTS = Duration.ofHours(2);
    /** A queue message lives at most 7 days: a claim must outlive every copy of its alert. */
    static final Duration QUEUE_MESSAGE_TTL = Duration.ofDays(7);
    /** Rows of each kind deleted per sweep, so one sweep stays short; the next sweep continues. */
    public static final int MAX_DELETES_PER_SWEEP = 1000;

    public StoreRetention {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(incidents, "incidents");
        Objects.requireNonNull(notes, "notes");
        Objects.requireNonNull(receipts, "receipts");
        if (receipts.compareTo(MIN_RECEIPTS) < 0) {
            throw new IllegalArgumentException("RETENTION_RECEIPTS must be at least PT2H (the reconcile reads the last 65 minutes), was " + receipts);
        }
        if (claims.compareTo(QUEUE_MESSAGE_TTL) < 0) {
            throw new IllegalArgumentException("RETENTION_CLAIMS must be at least P7D (a queue message lives 7 days), was " + claims);
        }
        if (incidents.isNegative() || incidents.isZero() || notes.isNegative() || notes.isZero()) {
            throw new IllegalArgumentException("RETENTION_INCIDENTS and RETENTION_NOTES must be positive");
        }
    }

    /** The three store retentions, receipts kept {@link #DEFAULT_RECEIPTS}. */
    public StoreRetention(Duration claims, Duration incidents, Duration notes) {
        this(claims, incidents, notes, DEFAULT_RECEIPTS);
    }

    public static StoreRetention ofDefaults() {
        return new StoreRetention(DEFAULT_CLAIMS, DEFAULT_INCIDENTS, DEFAULT_NOTES, DEFAULT_RECEIPTS);
    }

    /** From RETENTION_CLAIMS, RETENTION_INCIDENTS, RETENTION_NOTES; incidents never kept shorter than the incident policy looks back. */
    public static StoreRetention fromSettings(Settings settings) {
        StoreRetention r = new StoreRetention(settings.duration("RETENTION_CLAIMS", DEFAULT_CLAIMS),
                settings.duration("RETENTION_INCIDENTS", DEFAULT_INCIDENTS), settings.duration("RETENTION_NOTES", DEFAULT_NOTES),
                settings.duration("RETENTION_RECEIPTS", DEFAULT_RECEIPTS));
        IncidentPolicy policy = IncidentPolicy.fromSettings(settings);
        Duration needed = policy.recurrenceWindow().compareTo(policy.cooldown()) > 0 ? policy.recurrenceWindow() : policy.cooldown();
        if (r.incidents().compareTo(needed) < 0) {
            throw new IllegalArgumentException("RETENTION_INCIDENTS (" + r.incidents() + ") must not be shorter than INCIDENT_RECURRENCE_WINDOW / INCIDENT_COOLDOWN (" + needed + ")");
        }
        return r;
    }

    Instant claimsBefore(Instant now) {
        return now.minus(claims);
    }

    Instant incidentsBefore(Instant now) {
        return now.minus(incidents);
    }

    Instant notesBefore(Instant now) {
        return now.minus(notes);
    }

    /** Receipts received before this are swept. */
    public Instant receiptsBefore(Instant now) {
        return now.minus(receipts);
    }
}
