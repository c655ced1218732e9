package io.oomresponder.delivery;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StatusClassifierTest {

    @ParameterizedTest
    @CsvSource({
            "200, false, OTHER", "202, false, OTHER",
            "400, false, CLIENT_ERROR", "401, false, UNAUTHORIZED", "403, false, UNAUTHORIZED", "404, false, CLIENT_ERROR",
            "408, true, CLIENT_ERROR", "409, false, CLIENT_ERROR", "413, false, TOO_LARGE", "422, false, CLIENT_ERROR",
            "425, true, CLIENT_ERROR", "429, true, THROTTLED",
            "500, true, SERVER_ERROR", "501, false, SERVER_ERROR", "502, true, SERVER_ERROR", "503, true, SERVER_ERROR",
            "504, true, SERVER_ERROR", "505, false, SERVER_ERROR"})
    void statusTable(int status, boolean retryable, DeliveryException.Reason reason) {
        assertThat(StatusClassifier.retryable(status)).isEqualTo(retryable);
        assertThat(StatusClassifier.reason(status)).isEqualTo(reason);
        assertThat(StatusClassifier.delivered(status)).isEqualTo(status / 100 == 2);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDatesAndIsCapped() {
        assertThat(StatusClassifier.retryAfter(headers("120"), Notes.clock())).contains(Duration.ofSeconds(120));
        // the fixed clock is 2026-10-12T13:00:00Z
        assertThat(StatusClassifier.retryAfter(headers("Mon, 12 Oct 2026 13:00:30 GMT"), Notes.clock())).contains(Duration.ofSeconds(30));
        assertThat(StatusClassifier.retryAfter(headers("999999"), Notes.clock())).contains(StatusClassifier.MAX_RETRY_AFTER);
        assertThat(StatusClassifier.retryAfter(headers("soon"), Notes.clock())).isEmpty();
    }

    private static HttpHeaders headers(String retryAfter) {
        return HttpHeaders.of(Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
    }
}
