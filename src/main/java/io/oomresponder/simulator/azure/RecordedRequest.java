package io.oomresponder.simulator.azure;

import java.time.Instant;

/**
 * One request the simulator received, for tests: which call, when, on which server thread, with
 * what query string and body, and the status it got.
 *
 * @param rawPath  the path as sent (percent-encoded)
 * @param rawQuery the query string as sent, or null
 */
public record RecordedRequest(
        FakeEndpoint endpoint,
        String method,
        String rawPath,
        String rawQuery,
        String body,
        Instant start,
        Instant end,
        String thread,
        int status) {

    /** How long the simulator took to answer, in milliseconds. */
    public long durationMs() {
        return end.toEpochMilli() - start.toEpochMilli();
    }
}
