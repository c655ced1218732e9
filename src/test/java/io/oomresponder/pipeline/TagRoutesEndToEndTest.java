package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tag:} routes end to end: the simulator's ARM serves the app's tags, the real SDK reads
 * them into the bundle, the note carries them, and DELIVERY_ROUTES picks the sink by them.
 */
class TagRoutesEndToEndTest {

    private static SimulatedIncident leak;
    private static FakeAzure azure;
    private static HttpServer webhook;
    private static final AtomicInteger webhookPosts = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        leak = ScenarioCatalog.generate("leak/classic", 11);
        azure = FakeAzure.start(List.of(leak.truth()), 0,
                Clock.fixed(leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            webhookPosts.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
        webhook.stop(0);
    }

    @Test
    void aNoteForAnAppTaggedWithTheTeamGoesOnlyToThatTeamsSink(@TempDir Path files) throws Exception {
        String team = leak.truth().app().tags().get("team");
        assertThat(team).as("the scenario's app carries a team tag").isNotBlank();

        int before = webhookPosts.get();
        deliver(files, "tag:team=" + team + " -> file; * -> webhook", "/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/tagged");

        assertThat(webhookPosts.get() - before).as("the catch-all sink got nothing").isZero();
        try (var written = Files.walk(files)) {
            assertThat(written.filter(p -> p.getFileName().toString().equals("note.md")).toList()).hasSize(1);
        }
    }

    @Test
    void aTagOfAnotherTeamFallsThroughToTheNextRule(@TempDir Path files) throws Exception {
        int before = webhookPosts.get();
        deliver(files, "tag:team=nobody-has-this -> file; * -> webhook", "/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/untagged");

        assertThat(webhookPosts.get() - before).isEqualTo(1);
        try (var written = Files.walk(files)) {
            assertThat(written.filter(p -> p.getFileName().toString().equals("note.md")).toList()).isEmpty();
        }
    }

    private static void deliver(Path files, String routes, String alertId) throws Exception {
        Clock clock = Clock.fixed(leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)), ZoneOffset.UTC);
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", leak.truth().app().subscriptionId());
        values.put("NOTE_FILE_DIR", files.toString());
        values.put("WEBHOOK_URL", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        values.put("WEBHOOK_SECRET", "0123456789abcdef0123");
        values.put("DELIVERY_ROUTES", routes);
        values.put("DELIVERY_MAX_ATTEMPTS", "1");
        Settings settings = new Settings(values);
        try (Responder responder = Responder.with(settings, AzureEvidenceSource.fromSettings(settings, clock),
                new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), io.oomresponder.store.IncidentStore.DEFAULT_CLAIM_LEASE), clock)) {
            var payload = leak.alertPayload().deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) payload.at("/data/essentials")).put("alertId", alertId);
            IntakeResult intake = AlertIntake.fromSettings(settings).accept(io.oomresponder.json.Json.mapper().writeValueAsBytes(payload), Map.of());
            assertThat(intake).isInstanceOf(IntakeResult.Accepted.class);
            QueuedAlert message = ((IntakeResult.Accepted) intake).alerts().get(0);
            AlertRun run = responder.run(message, Progress.SILENT);
            assertThat(run.note().summary().path("appTags").path("team").asText()).isEqualTo(leak.truth().app().tags().get("team"));
            assertThat(run.parked()).isEmpty();
        }
    }
}
