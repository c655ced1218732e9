package io.oomresponder.store;

import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedeliveryPolicyTest {

    private final RedeliveryPolicy policy = RedeliveryPolicy.ofDefaults();

    @Test
    void backoffDoublesFromOneMinuteAndStopsAtOneHour() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofMinutes(8));
        assertThat(policy.backoff(7)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(500)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void retryAfterLongerThanTheBackoffWins() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");

        assertThat(policy.nextAttemptAt(1, now, Duration.ofMinutes(5))).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(policy.nextAttemptAt(3, now, Duration.ofSeconds(10))).isEqualTo(now.plus(Duration.ofMinutes(4)));
    }

    @Test
    void settingsOverrideTheDefaultsAndContradictionsAreRejected() {
        RedeliveryPolicy p = RedeliveryPolicy.fromSettings(new Settings(Map.of("REDELIVERY_MAX_AGE", "PT6H", "REDELIVERY_BATCH", "10")));
        assertThat(p.maxAge()).isEqualTo(Duration.ofHours(6));
        assertThat(p.batchSize()).isEqualTo(10);

        assertThatThrownBy(() -> RedeliveryPolicy.fromSettings(new Settings(Map.of("REDELIVERY_MAX_BACKOFF", "PT10S"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBackoff");
    }
}
