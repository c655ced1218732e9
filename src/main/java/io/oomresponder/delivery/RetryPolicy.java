package io.oomresponder.delivery;

import io.oomresponder.config.Settings;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a sink is retried: exponential backoff from {@code initialDelay},
 * doubled each attempt up to {@code maxDelay}, with full jitter; a Retry-After from the sink wins
 * when it is longer.
 *
 * @param maxAttempts  attempts in total, at least 1
 * @param initialDelay the wait before the second attempt (before jitter)
 * @param maxDelay     the longest wait between two attempts
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public static final int DEFAULT_MAX_ATTEMPTS = 4;
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);

    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalStateException("maxDelay " + maxDelay + " is shorter than initialDelay " + initialDelay);
        }
    }

    public static RetryPolicy ofDefaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_INITIAL_DELAY, DEFAULT_MAX_DELAY);
    }

    /** From DELIVERY_MAX_ATTEMPTS, DELIVERY_INITIAL_BACKOFF, DELIVERY_MAX_BACKOFF. */
    public static RetryPolicy from(Settings settings) {
        return new RetryPolicy(settings.integer("DELIVERY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS),
                settings.duration("DELIVERY_INITIAL_BACKOFF", DEFAULT_INITIAL_DELAY),
                settings.duration("DELIVERY_MAX_BACKOFF", DEFAULT_MAX_DELAY));
    }

    /** The backoff ceiling before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration ceiling(int attempt) {
        long factor = 1L << Math.min(attempt - 1, 30);
        long millis = initialDelay.toMillis() * factor;
        return millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }
}
