package io.oomresponder.delivery;

import java.time.Duration;

/**
 * A sink did not take a note. The message names the sink, the alert and the status, never a
 * secret or a signed URL.
 */
public final class DeliveryException extends RuntimeException {

    private final String sink;
    private final Reason reason;
    private final boolean retryable;
    private final Duration retryAfter;

    public DeliveryException(String sink, Reason reason, boolean retryable, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.sink = sink;
        this.reason = reason;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public DeliveryException(String sink, Reason reason, boolean retryable, String message) {
        this(sink, reason, retryable, null, message, null);
    }

    public String sink() {
        return sink;
    }

    public Reason reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The wait the sink asked for (Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Why a delivery failed, as a small closed set for logs and metrics. */
    public enum Reason { CLIENT_ERROR, SERVER_ERROR, THROTTLED, TOO_LARGE, UNAUTHORIZED, NETWORK, CONFIGURATION, OTHER }
}
