package io.oomresponder.pipeline;

import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import io.oomresponder.store.TableIncidentStore;
import io.oomresponder.testing.AzuriteExtension;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The re-drive of {@code alerts-poison} on Azurite queues (real azure-storage-queue client, base64 as
 * the Functions host writes): a poisoned alert waits for the delay, goes back on {@code alerts} at
 * most N times, then becomes a note saying it could not be processed and why.
 */
@ExtendWith(AzuriteExtension.class)
class PoisonRedriveTest {

    private static SimulatedApp app;
    private static AzuriteExtension.Azurite azurite;

    @BeforeAll
    static void start(AzuriteExtension.Azurite a) {
        azurite = a;
        app = new SimulatedApp("leak/classic", 44, Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static QueueClient queue(String name) {
        QueueClient q = new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(name)
                .messageEncoding(QueueMessageEncoding.BASE64).buildClient();
        q.createIfNotExists();
        return q;
    }

    private static List<String> drain(QueueClient q) {
        List<String> out = new ArrayList<>();
        for (QueueMessageItem m : q.receiveMessages(32, Duration.ofSeconds(30), null, null)) {
            out.add(m.getBody().toString());
            q.deleteMessage(m.getMessageId(), m.getPopReceipt());
        }
        return out;
    }

    @Test
    void aPoisonedAlertIsRedrivenAfterTheDelayAtMostNTimesThenReportedInANoteWithTheReason() throws Exception {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        QueueClient alerts = queue("a" + id);
        QueueClient poison = queue("a" + id + "-poison");
        TableIncidentStore store = new TableIncidentStore(new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient(),
                "p" + id, IncidentPolicy.ofDefaults(), Duration.ofMinutes(1));
        QueueReliabilityTest.Counting teams = new QueueReliabilityTest.Counting("teams");
        MutableClock clock = new MutableClock(Instant.now());
        QueuedAlert alert = app.message(3001);
        store.recordFailure(alert.dedupeKey(), "IllegalStateException: incidents kept changing", clock.instant());

        try (Responder responder = new Responder(app.evidence(), store, new NoteRenderer(false), SinkRoutes.toAll(List.of(teams)),
                new Redelivery(store, List.of(teams), null, RedeliveryPolicy.ofDefaults(), clock), clock, "test", app.intake())) {
            PoisonRedrive redrive = new PoisonRedrive(new StoragePoisonQueue(alerts, poison), responder, Duration.ofMinutes(10), 2, clock);
            poison.sendMessage(alert.toJson());

            assertThat(redrive.sweep().waiting()).as("too fresh: it waits for the delay").isEqualTo(1);
            assertThat(drain(alerts)).isEmpty();

            // Later (the message is hidden in real time; a new copy stands for it after the delay).
            drain(poison);
            String current = alert.toJson();
            for (int redrive1 = 1; redrive1 <= 2; redrive1++) {
                poison.sendMessage(current);
                clock.advance(Duration.ofMinutes(11));
                assertThat(redrive.sweep().redriven()).isEqualTo(1);
                List<String> back = drain(alerts);
                assertThat(back).hasSize(1);
                JsonNode node = Json.mapper().readTree(back.get(0));
                assertThat(node.path("redrives").asInt()).isEqualTo(redrive1);
                assertThat(QueuedAlert.fromJson(back.get(0))).isEqualTo(alert);
                current = back.get(0); // it fails again and is poisoned again
            }
            poison.sendMessage(current);
            clock.advance(Duration.ofMinutes(11));
            assertThat(redrive.sweep().reported()).isEqualTo(1);

            assertThat(drain(alerts)).as("not re-driven a third time").isEmpty();
            assertThat(drain(poison)).as("removed once reported").isEmpty();
            assertThat(teams.sent).singleElement().satisfies(n -> {
                assertThat(n.title()).startsWith("Alert could not be processed");
                assertThat(n.text()).contains(alert.alert().id(), "IllegalStateException: incidents kept changing", "2 re-drive(s)");
                assertThat(n.card().path("version").asText()).isEqualTo("1.4");
            });
            assertThat(responder.deliveryHealth().get("unprocessableAlerts")).isEqualTo(1L);

            // Text that is not an alert at all is reported at once, named by its hash, never by its content.
            poison.sendMessage("not json; secret=s3cr3t");
            clock.advance(Duration.ofMinutes(11));
            assertThat(redrive.sweep().reported()).isEqualTo(1);
            RenderedNote garbage = teams.sent.get(1);
            assertThat(garbage.text()).contains("SHA-256", "not a readable alert").doesNotContain("s3cr3t");
        }
    }
}
