package io.oomresponder.intake;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.PeekedMessageItem;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.config.Settings;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The intake's own queue writer against Azurite (Shared Key), a queue that hangs, and the platform's identity endpoint protocol. */
@ExtendWith(AzuriteExtension.class)
class AlertQueueWriterTest {

    static final String QUEUE = "alerts-writer-test";
    final String message = QueuedAlert.of(AlertSamples.signal(), Instant.parse("2026-11-30T17:00:00Z")).toJson();

    static QueueClient reader(AzuriteExtension.Azurite azurite) {
        // The Functions host's view: base64 message text (host.json's default messageEncoding).
        return new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(QUEUE)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
    }

    static AlertQueueWriter writer(AzuriteExtension.Azurite azurite, String connectionString, Duration timeout) {
        return new AlertQueueWriter(URI.create(azurite.queueEndpoint() + "/" + QUEUE), AlertQueueWriter.Authorizer.sharedKey(connectionString), timeout);
    }

    @Test
    void writesEachAlertAsABase64MessageTheFunctionsHostReadsAndCreatesAMissingQueue(AzuriteExtension.Azurite azurite) {
        reader(azurite).deleteIfExists();
        AlertQueueWriter w = writer(azurite, azurite.connectionString(), Duration.ofSeconds(20));

        assertThat(w.write(List.of(message, message.replace("Fired", "Resolved")))).isTrue();

        List<String> read = new ArrayList<>();
        for (PeekedMessageItem m : reader(azurite).peekMessages(10, null, null)) {
            read.add(m.getBody().toString());
        }
        assertThat(read).containsExactlyInAnyOrder(message, message.replace("Fired", "Resolved"));
    }

    @Test
    void aQueueThatRefusesTheKeyIsAFailedWriteNotAnException(AzuriteExtension.Azurite azurite) {
        String wrongKey = azurite.connectionString().replace(AzuriteExtension.ACCOUNT_KEY,
                java.util.Base64.getEncoder().encodeToString("not the account key, 64 bytes long ..............................".getBytes(StandardCharsets.UTF_8)));
        assertThat(writer(azurite, wrongKey, Duration.ofSeconds(20)).write(List.of(message))).isFalse();
    }

    @Test
    void aQueueThatNeverAnswersIsAFailedWriteOnceTheDeadlinePasses() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // accept, read nothing, answer nothing
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteExtension.ACCOUNT + ";AccountKey=" + AzuriteExtension.ACCOUNT_KEY
                    + ";QueueEndpoint=http://127.0.0.1:" + silent.getLocalPort() + "/" + AzuriteExtension.ACCOUNT;
            AlertQueueWriter w = new AlertQueueWriter(URI.create(AlertQueueWriter.queueEndpoint(connection) + "/" + QUEUE),
                    AlertQueueWriter.Authorizer.sharedKey(connection), Duration.ofMillis(300));

            assertThat(w.write(List.of(message))).isFalse();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void queueEndpointComesFromTheConnectionStringAsTheStorageClientsReadIt() {
        assertThat(AlertQueueWriter.queueEndpoint("UseDevelopmentStorage=true")).isEqualTo("http://127.0.0.1:10001/devstoreaccount1");
        assertThat(AlertQueueWriter.queueEndpoint("DefaultEndpointsProtocol=https;AccountName=stoomr;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn"))
                .isEqualTo("https://stoomr.queue.core.chinacloudapi.cn");
        assertThat(AlertQueueWriter.queueEndpoint("AccountName=x;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:1/x/")).isEqualTo("http://127.0.0.1:1/x");
        Settings identity = new Settings(Map.of("AzureWebJobsStorage__accountName", "stoomr", "INTAKE_QUEUE_TIMEOUT", "PT3S"));
        assertThat(AlertQueueWriter.fromSettings(identity).timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void managedIdentityTokenIsAskedForStorageWithTheIdentityHeaderAndCachedUntilNearItsExpiry() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<String> queries = new CopyOnWriteArrayList<>();
        HttpServer identity = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        identity.createContext("/msi/token", ex -> {
            asked.incrementAndGet();
            queries.add(ex.getRequestURI().getRawQuery() + " header=" + ex.getRequestHeaders().getFirst("X-IDENTITY-HEADER"));
            byte[] body = ("{\"access_token\":\"tok-" + asked.get() + "\",\"expires_on\":\"" + (Instant.now().getEpochSecond() + 3600)
                    + "\",\"resource\":\"https://storage.azure.com/\",\"token_type\":\"Bearer\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        identity.start();
        try {
            AlertQueueWriter.Authorizer auth = AlertQueueWriter.Authorizer.managedIdentity(
                    "http://127.0.0.1:" + identity.getAddress().getPort() + "/msi/token", "secret-header", "client-123", Duration.ofSeconds(10));
            URI uri = URI.create("https://stoomr.queue.core.windows.net/alerts/messages");

            assertThat(auth.authorization(uri, "POST", Map.of(), 0)).isEqualTo("Bearer tok-1");
            assertThat(auth.authorization(uri, "POST", Map.of(), 0)).isEqualTo("Bearer tok-1");

            assertThat(asked.get()).isEqualTo(1);
            assertThat(queries.get(0)).contains("api-version=2019-08-01").contains("resource=https%3A%2F%2Fstorage.azure.com%2F")
                    .contains("client_id=client-123").endsWith("header=secret-header");
        } finally {
            identity.stop(0);
        }
    }
}
