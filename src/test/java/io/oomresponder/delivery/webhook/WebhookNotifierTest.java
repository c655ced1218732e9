package io.oomresponder.delivery.webhook;

import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookNotifierTest {

    private static final String SECRET = "It's a Secret to Everybody";
    private final LoopbackServer server = new LoopbackServer();
    private final WebhookConfig config = new WebhookConfig(server.uri("/hooks/oom?token=urltoken123"), SECRET);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void githubsPublishedExampleSignatureIsReproduced() {
        // docs.github.com "Validating webhook deliveries": secret "It's a Secret to Everybody", payload "Hello, World!"
        assertThat(WebhookNotifier.hmacSha256Hex(SECRET, "Hello, World!".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void postsSignedJsonWithAStableIdempotencyKey() {
        server.on("POST /hooks/oom", LoopbackServer.Response.of(204, ""));
        WebhookNotifier sink = new WebhookNotifier(config, Notes.http());

        sink.send(Notes.leak());
        sink.send(Notes.leak());
        sink.send(Notes.leakResolved());

        LoopbackServer.Request first = server.requests().get(0);
        assertThat(first.header("Content-Type")).startsWith("application/json");
        assertThat(first.header("X-Signature-256")).isEqualTo("sha256=" + WebhookNotifier.hmacSha256Hex(SECRET, first.body()));
        assertThat(first.json().path("type").asText()).isEqualTo("OomResponder.IncidentDiagnosed");
        assertThat(first.json().path("alertId").asText()).isEqualTo(Notes.leak().alertId());
        assertThat(first.json().path("summary").path("verdict").asText()).isEqualTo("LEAK_SUSPECTED");
        assertThat(first.bodyText()).doesNotContain(SECRET);
        assertThat(server.requests().get(1).header("Idempotency-Key")).isEqualTo(first.header("Idempotency-Key"));
        assertThat(server.requests().get(2).header("Idempotency-Key")).isNotEqualTo(first.header("Idempotency-Key"));
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new WebhookNotifier(config, Notes.http()), Notes.leak(), SECRET, "urltoken123");
    }

    @Test
    void configNeedsALongEnoughSecret() {
        assertThatThrownBy(() -> WebhookConfig.from(new Settings(Map.of("WEBHOOK_URL", "https://example.com/h"))))
                .hasMessageContaining("WEBHOOK_SECRET");
        assertThatThrownBy(() -> WebhookConfig.from(new Settings(Map.of("WEBHOOK_URL", "https://example.com/h", "WEBHOOK_SECRET", "short"))))
                .hasMessageContaining("at least 16").hasMessageNotContaining("short");
    }
}
