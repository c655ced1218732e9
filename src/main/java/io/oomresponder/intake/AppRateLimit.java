package io.oomresponder.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many alerts one app may put on the queue: a token bucket per app and condition (Fired and
 * Resolved count apart, so a flood of Fired never holds back the Resolved that closes the incident),
 * {@code capacity} alerts at once, refilled at {@code capacity} per {@code window}. Alerts over the
 * limit are ignored (202, with the reason): the app's open incident already has a gather and a note
 * on the way, and a storm must not fan out into gathers that throttle ARM. Per process (each Function
 * instance, each {@code serve}); the map keeps the {@link #MAX_APPS} most recently seen apps.
 */
final class AppRateLimit {

    /** Buckets kept; an app not seen for long is forgotten (it starts with a full bucket again). */
    static final int MAX_APPS = 10_000;

    private final int capacity;
    private final Duration window;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_APPS;
        }
    };

    AppRateLimit(int capacity, Duration window) {
        if (capacity < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("INTAKE_APP_RATE_LIMIT must be at least 1 and INTAKE_APP_RATE_WINDOW positive");
        }
        this.capacity = capacity;
        this.window = window;
    }

    int capacity() {
        return capacity;
    }

    Duration window() {
        return window;
    }

    /** Takes one alert's token for this key; false when the bucket is empty. */
    synchronized boolean tryAcquire(String key, Instant now) {
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        double refill = (double) Duration.between(b.updated, now).toNanos() / window.toNanos() * capacity;
        if (refill > 0) {
            b.tokens = Math.min(capacity, b.tokens + refill);
            b.updated = now;
        }
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    private static final class Bucket {
        double tokens;
        Instant updated;

        Bucket(double tokens, Instant updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
