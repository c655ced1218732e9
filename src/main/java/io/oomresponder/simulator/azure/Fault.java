package io.oomresponder.simulator.azure;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour the simulator injects into one response.
 *
 * @param kind       what goes wrong
 * @param status     HTTP status for {@link Kind#STATUS} and {@link Kind#THROTTLE}
 * @param duration   Retry-After for THROTTLE, extra latency for DELAY, hang time for HANG
 */
public record Fault(Kind kind, int status, Duration duration) {

    /** The kinds of fault. */
    public enum Kind {
        /** Answer with an error status and an Azure-style error body. */
        STATUS,
        /** 429 with {@code Retry-After} (seconds, rounded up) and {@code retry-after-ms}. */
        THROTTLE,
        /** Answer normally after an extra delay. */
        DELAY,
        /** Hold the request without answering (longer than any client timeout), then 504. */
        HANG,
        /** Answer 200 with an empty result (no tables rows, no time series, no revisions). */
        EMPTY
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        duration = duration == null ? Duration.ZERO : duration;
    }

    public static Fault status(int status) {
        return new Fault(Kind.STATUS, status, Duration.ZERO);
    }

    public static Fault throttle(Duration retryAfter) {
        return new Fault(Kind.THROTTLE, 429, retryAfter);
    }

    public static Fault delay(Duration extra) {
        return new Fault(Kind.DELAY, 200, extra);
    }

    public static Fault hang(Duration howLong) {
        return new Fault(Kind.HANG, 504, howLong);
    }

    public static Fault empty() {
        return new Fault(Kind.EMPTY, 200, Duration.ZERO);
    }
}
