package io.oomresponder.delivery.eventgrid;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.StatusClassifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The real EventGridPublisherClient, pointed at the loopback server. */
class EventGridNotifierTest {

    private static final String KEY = "eg-topic-access-key-secret=";
    private final LoopbackServer server = LoopbackServer.https();
    private final EventGridConfig config = new EventGridConfig(server.uri("/api/events"), KEY);

    /** Netty trusting the loopback certificate: the SDK's own transport, only the trust differs. */
    private static com.azure.core.http.HttpClient trustingTransport() {
        try {
            io.netty.handler.ssl.SslContext ssl = io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(io.oomresponder.delivery.TestTls.certificate()).build();
            return new com.azure.core.http.netty.NettyAsyncHttpClientBuilder(
                    reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(ssl))).build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void publishesACloudEventWithAStableIdPerAlertAndKind() {
        server.on("POST /api/events", LoopbackServer.Response.of(200, ""));
        EventGridNotifier sink = new EventGridNotifier(EventGridNotifier.client(config, trustingTransport()));

        sink.send(Notes.leak());
        sink.send(Notes.leak());
        sink.send(Notes.leakResolved());

        LoopbackServer.Request r = server.requests().get(0);
        assertThat(r.header("Content-Type")).startsWith("application/cloudevents-batch+json");
        assertThat(r.header("aeg-sas-key")).isEqualTo(KEY);
        assertThat(r.query()).startsWith("api-version=");
        JsonNode events = r.json();
        assertThat(events.isArray()).isTrue();
        JsonNode event = events.get(0);
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("type").asText()).isEqualTo("OomResponder.IncidentDiagnosed");
        assertThat(event.path("source").asText()).isEqualTo(Notes.leak().appResourceId());
        assertThat(event.path("subject").asText()).isEqualTo(Notes.leak().alertId());
        assertThat(event.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(event.path("time").asText()).startsWith("2026-10-12T12:55");
        assertThat(event.path("data").path("summary").path("verdict").asText()).isEqualTo("LEAK_SUSPECTED");
        String id = event.path("id").asText();
        assertThat(server.requests().get(1).json().get(0).path("id").asText()).isEqualTo(id);
        assertThat(server.requests().get(2).json().get(0).path("id").asText()).isNotEqualTo(id);
    }

    @Test
    void statusesMapLikeEveryOtherSinkAndTheSdkDoesNotRetryOnItsOwn() {
        for (int status : List.of(400, 401, 403, 413, 429, 500, 503)) {
            server.reset();
            server.on("POST /api/events", LoopbackServer.Response.json(status, "{\"error\":{\"message\":\"" + KEY + "\"}}"));
            DeliveryException e = catchThrowableOfType(DeliveryException.class,
                    () -> new EventGridNotifier(EventGridNotifier.client(config, trustingTransport())).send(Notes.leak()));
            assertThat(e.retryable()).as("retryable %s", status).isEqualTo(StatusClassifier.retryable(status));
            assertThat(e.reason()).isEqualTo(StatusClassifier.reason(status));
            assertThat(server.requests()).as("one request per send for %s", status).hasSize(1);
            NotifierKit.assertNoSecret(e, KEY);
        }
    }
}
