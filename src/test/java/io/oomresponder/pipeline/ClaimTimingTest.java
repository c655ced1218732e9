package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.json.Json;
import io.oomresponder.store.IncidentStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClaimTimingTest {

    @Test
    void theDefaultLeaseRunsOutBeforeTheLastDeliveryOfTheHostsQueue() {
        ClaimTiming t = ClaimTiming.forFunctions(new Settings(Map.of()));

        assertThat(t.lease()).isEqualTo(IncidentStore.DEFAULT_CLAIM_LEASE);
        assertThat(t.heartbeat()).isEqualTo(Duration.ofSeconds(15));
        assertThat(t.lease().plus(t.heartbeat())).isLessThanOrEqualTo(t.visibilityTimeout().multipliedBy(t.maxDequeueCount() - 2L));
    }

    @Test
    void leasesThatCouldOutlastTheLastDeliveryAreRefusedWithTheReason() {
        for (String lease : new String[]{"PT10M", "PT5M", "PT3M30S"}) {
            assertThatThrownBy(() -> ClaimTiming.forFunctions(new Settings(Map.of("ALERT_CLAIM_LEASE", lease))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ALERT_CLAIM_LEASE " + Duration.parse(lease))
                    .hasMessageContaining("225 s");
        }
        assertThat(ClaimTiming.forFunctions(new Settings(Map.of("ALERT_CLAIM_LEASE", "PT3M"))).lease()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void theHandlerBudgetMustEndInsideTheFunctionTimeoutAndTheQueueMustAllowATakeover() {
        assertThatThrownBy(() -> ClaimTiming.forFunctions(new Settings(Map.of("ALERT_HANDLER_BUDGET", "PT5M"))))
                .hasMessageContaining("functionTimeout");
        assertThatThrownBy(() -> new ClaimTiming(Duration.ofSeconds(10), Duration.ofMinutes(1), 2, Duration.ofMinutes(1), null))
                .hasMessageContaining("maxDequeueCount");
    }

    @Test
    void theConstantsMatchHostJson() throws Exception {
        JsonNode host = Json.mapper().readTree(Path.of("host.json").toFile());
        JsonNode queues = host.path("extensions").path("queues");

        assertThat(queues.path("maxDequeueCount").asInt()).isEqualTo(ClaimTiming.HOST_MAX_DEQUEUE_COUNT);
        assertThat(ClaimTiming.timeSpan(queues.path("visibilityTimeout").asText())).contains(ClaimTiming.HOST_VISIBILITY_TIMEOUT);
        assertThat(ClaimTiming.timeSpan(host.path("functionTimeout").asText())).contains(ClaimTiming.HOST_FUNCTION_TIMEOUT);
    }

    @Test
    void serveChecksItsOwnVisibilityTimeout() {
        assertThat(ClaimTiming.forServe(new Settings(Map.of("ALERT_CLAIM_LEASE", "PT4S")), 5, Duration.ofSeconds(3)).functionTimeout()).isNull();
        assertThatThrownBy(() -> ClaimTiming.forServe(new Settings(Map.of()), 5, Duration.ofSeconds(3)))
                .hasMessageContaining("ALERT_CLAIM_LEASE PT1M");
    }
}
