package io.oomresponder.delivery.pagerduty;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PagerDutyNotifierTest {

    private static final String KEY = "R0UT1NGKEYsecret0000000000000000";
    private final LoopbackServer server = new LoopbackServer();
    private final PagerDutyConfig config = new PagerDutyConfig(server.uri("/v2/enqueue"), KEY);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void triggersWithTheAlertIdAsDedupKeyThenResolvesTheSameKey() {
        server.on("POST /v2/enqueue", LoopbackServer.Response.json(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}"));
        PagerDutyNotifier sink = new PagerDutyNotifier(config, Notes.http());

        sink.send(Notes.leak());
        sink.send(Notes.leak());
        sink.send(Notes.leakResolved());

        assertThat(server.requests()).hasSize(3);
        JsonNode trigger = server.requests().get(0).json();
        assertThat(server.requests().get(0).header("Content-Type")).startsWith("application/json");
        assertThat(trigger.path("routing_key").asText()).isEqualTo(KEY);
        assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
        assertThat(trigger.path("dedup_key").asText()).isEqualTo(Notes.leak().alertId());
        JsonNode payload = trigger.path("payload");
        assertThat(payload.path("summary").asText()).isEqualTo("Memory leak suspected in api-gateway");
        assertThat(payload.path("source").asText()).isEqualTo(Notes.leak().appResourceId());
        assertThat(payload.path("severity").asText()).isIn("critical", "error", "warning", "info");
        assertThat(payload.path("timestamp").asText()).isEqualTo("2026-10-12T12:55:00Z");
        assertThat(payload.path("custom_details").path("Memory limit").asText()).isEqualTo("1 GiB");
        assertThat(trigger.path("links").get(0).path("href").asText()).startsWith("https://portal.azure.com/");
        // the repeat carries the same dedup_key: PagerDuty folds it into the open alert
        assertThat(server.requests().get(1).json().path("dedup_key")).isEqualTo(trigger.path("dedup_key"));
        JsonNode resolve = server.requests().get(2).json();
        assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
        assertThat(resolve.path("dedup_key")).isEqualTo(trigger.path("dedup_key"));
        assertThat(resolve.has("payload")).isFalse();
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new PagerDutyNotifier(config, Notes.http()), Notes.leak(), KEY);
    }
}
