package io.oomresponder.delivery;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The one place that decides what an HTTP status means for a delivery: 2xx delivered; 408, 425,
 * 429 and 5xx (but 501/505) worth retrying; 413 too large (Teams retries with a smaller card);
 * 401/403 unauthorized and every other 4xx a client error that no retry will fix.
 */
public final class StatusClassifier {

    /** Longest Retry-After we honour; a sink asking for more is treated as this long. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

    private StatusClassifier() {
    }

    public static boolean delivered(int status) {
        return status >= 200 && status < 300;
    }

    public static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500 && status != 501 && status != 505;
    }

    public static DeliveryException.Reason reason(int status) {
        if (status == 429) {
            return DeliveryException.Reason.THROTTLED;
        }
        if (status == 413) {
            return DeliveryException.Reason.TOO_LARGE;
        }
        if (status == 401 || status == 403) {
            return DeliveryException.Reason.UNAUTHORIZED;
        }
        if (status >= 500) {
            return DeliveryException.Reason.SERVER_ERROR;
        }
        if (status >= 400) {
            return DeliveryException.Reason.CLIENT_ERROR;
        }
        return DeliveryException.Reason.OTHER;
    }

    /**
     * The failure for a non-2xx answer. The message names sink, alert and status only: never the
     * URL (it may carry a signature) nor the response body (it may echo what we sent).
     */
    public static DeliveryException failure(String sink, String alertId, String operation, int status, HttpHeaders headers, Clock clock) {
        Duration retryAfter = headers == null ? null : retryAfter(headers, clock).orElse(null);
        String message = "sink " + sink + " answered HTTP " + status + " to " + operation + " for alert " + alertId
                + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toSeconds() + " s)");
        return new DeliveryException(sink, reason(status), retryable(status), retryAfter, message, null);
    }

    /** Retry-After as delta-seconds or an HTTP date, capped at {@link #MAX_RETRY_AFTER}. */
    public static Optional<Duration> retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException notSeconds) {
            try {
                d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        return Optional.of(d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d);
    }
}
