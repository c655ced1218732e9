package io.oomresponder.store;

import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;

/**
 * When undelivered notes are tried again and when they are given up: exponential backoff from
 * {@code initialBackoff} (doubling per failed attempt, at most {@code maxBackoff}, and never
 * sooner than a sink's Retry-After), until the note is {@code maxAge} old.
 *
 * @param initialBackoff wait after the first failure (REDELIVERY_INITIAL_BACKOFF, default PT1M)
 * @param maxBackoff     longest wait between attempts (REDELIVERY_MAX_BACKOFF, default PT1H)
 * @param maxAge         a note older than this is reported and no longer retried (REDELIVERY_MAX_AGE, default PT24H)
 * @param batchSize      notes taken per sweep (REDELIVERY_BATCH, default 50)
 */
public record RedeliveryPolicy(Duration initialBackoff, Duration maxBackoff, Duration maxAge, int batchSize) {

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    public static final int DEFAULT_BATCH_SIZE = 50;

    public RedeliveryPolicy {
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(maxAge, "maxAge");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be shorter than initialBackoff (" + initialBackoff + ")");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
    }

    public static RedeliveryPolicy ofDefaults() {
        return new RedeliveryPolicy(DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_MAX_AGE, DEFAULT_BATCH_SIZE);
    }

    /** From REDELIVERY_INITIAL_BACKOFF, REDELIVERY_MAX_BACKOFF, REDELIVERY_MAX_AGE and REDELIVERY_BATCH. */
    public static RedeliveryPolicy fromSettings(Settings settings) {
        return new RedeliveryPolicy(settings.duration("REDELIVERY_INITIAL_BACKOFF", DEFAULT_INITIAL_BACKOFF),
                settings.duration("REDELIVERY_MAX_BACKOFF", DEFAULT_MAX_BACKOFF),
                settings.duration("REDELIVERY_MAX_AGE", DEFAULT_MAX_AGE),
                settings.integer("REDELIVERY_BATCH", DEFAULT_BATCH_SIZE));
    }

    /** The wait after {@code failedAttempts} failures (1 → initialBackoff, 2 → twice that, ...), capped. */
    public Duration backoff(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
        Duration wait = initialBackoff.multipliedBy(1L << doublings);
        return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
    }

    /** When to try again after {@code failedAttempts} failures, honouring a sink's Retry-After (may be null). */
    public Instant nextAttemptAt(int failedAttempts, Instant now, Duration retryAfter) {
        Duration wait = backoff(failedAttempts);
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return now.plus(wait);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
