package io.oomresponder.delivery.teams;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.note.AdaptiveCard;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeamsNotifierTest {

    private static final String SIG = "sIgN4tUr3-s3cr3t-value";
    private final LoopbackServer server = new LoopbackServer();
    private final TeamsConfig config = new TeamsConfig(server.uri("/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsTheAdaptiveCardMessageTheWorkflowsTriggerExpects() {
        server.on("POST /workflows/abc/triggers/manual/paths/invoke", LoopbackServer.Response.of(202, ""));

        Receipt receipt = new TeamsNotifier(config, Notes.http()).send(Notes.leak());

        assertThat(receipt.sink()).isEqualTo("teams");
        LoopbackServer.Request r = server.requests().get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.query()).contains("sig=" + SIG);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.path("type").asText()).isEqualTo("message");
        JsonNode attachment = body.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.path("contentUrl").isNull()).isTrue();
        assertThat(attachment.path("content").path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(attachment.path("content").path("version").asText()).isEqualTo("1.4");
        assertThat(r.body().length).isLessThanOrEqualTo(AdaptiveCard.MAX_MESSAGE_BYTES);
    }

    @Test
    void a413IsRetriedAtOnceWithASmallerCardThatKeepsTheActions() {
        server.on("POST /workflows/abc/triggers/manual/paths/invoke", r -> r.body().length > 6_000
                ? LoopbackServer.Response.of(413, "Request Entity Too Large")
                : LoopbackServer.Response.of(202, ""));

        Receipt receipt = new TeamsNotifier(config, Notes.http()).send(Notes.leak());

        assertThat(server.requests()).hasSizeGreaterThan(1);
        LoopbackServer.Request last = server.requests().get(server.requests().size() - 1);
        assertThat(last.body().length).isLessThanOrEqualTo(6_000);
        assertThat(last.bodyText()).contains("Memory leak suspected", "\"id\":\"actions\"", "az containerapp update");
        assertThat(receipt.reference()).startsWith("shrunk to ");
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new TeamsNotifier(config, Notes.http()), Notes.leak(), SIG);
    }

    @Test
    void unreachableWebhookIsARetryableNetworkFailureWithoutTheUrl() {
        TeamsConfig dead = new TeamsConfig(java.net.URI.create("http://127.0.0.1:1/x?sig=" + SIG));
        assertThatThrownBy(() -> new TeamsNotifier(dead, Notes.http()).send(Notes.leak()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.reason()).isEqualTo(DeliveryException.Reason.NETWORK);
                    NotifierKit.assertNoSecret(e, SIG, "127.0.0.1:1");
                });
    }

    @Test
    void configRejectsPlainHttpToOtherHostsWithoutShowingTheUrl() {
        Settings settings = new Settings(Map.of("TEAMS_WEBHOOK_URL", "http://prod-12.westeurope.logic.azure.com/workflows/x?sig=" + SIG));
        assertThatThrownBy(() -> TeamsConfig.from(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TEAMS_WEBHOOK_URL")
                .hasMessageNotContaining(SIG);
        assertThat(TeamsConfig.from(new Settings(Map.of()))).isEmpty();
        assertThat(config.toString()).doesNotContain(SIG);
    }
}
