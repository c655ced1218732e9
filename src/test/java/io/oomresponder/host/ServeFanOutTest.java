package io.oomresponder.host;

import io.oomresponder.bench.TallyNotifier;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.CoalescingEvidenceSource;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16.5 over HTTP against a real {@code serve}: an Event Grid array of 100 events for one app
 * was 100 gathers and 100 notes; now one request's events for the same app and condition join one
 * queued alert (one gather, one note), later requests inside the cooldown join the open incident,
 * and each app has a rate limit.
 */
public class ServeFanOutTest {

    private static final SimulatedIncident LEAK = ScenarioCatalog.generate("leak/classic", 11);

    private final AtomicInteger azureGathers = new AtomicInteger();
    private final Clock clock = Clock.fixed(LEAK.truth().alert().firedAt().plusSeconds(600), ZoneOffset.UTC);
    private final IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
    private final TallyNotifier teams = new TallyNotifier();

    private Responder responder() {
        EvidenceSource azure = alert -> {
            azureGathers.incrementAndGet();
            return LEAK.truth().withAlert(alert);
        };
        List<Notifier> sinks = List.of(teams);
        // As wired in production: gathers for one app close in time are shared.
        return new Responder(new CoalescingEvidenceSource(azure, clock), store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), clock), clock, "memory", intake(20));
    }

    private AlertIntake intake(int perApp) {
        return new AlertIntake(ScopeGuard.allowing(LEAK.truth().app().subscriptionId()), clock, perApp, Duration.ofMinutes(1));
    }

    /** An Event Grid array of {@code n} events, each carrying the scenario's alert under its own alert id. */
    private static byte[] eventGridArray(String batch, int n, String condition) {
        ArrayNode events = Json.mapper().createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode payload = LEAK.alertPayload().deepCopy();
            ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
            essentials.put("alertId", essentials.path("alertId").asText() + "-" + batch + "-" + i);
            essentials.put("monitorCondition", condition);
            if (condition.equals("Resolved")) {
                essentials.put("resolvedDateTime", essentials.path("firedDateTime").asText());
            }
            events.addObject().put("id", batch + "-" + i).put("subject", "alert").put("eventType", "Microsoft.AlertsManagement.AlertFired")
                    .put("eventTime", "2026-11-30T05:00:00Z").put("dataVersion", "1.0").set("data", payload);
        }
        return events.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aHundredEventsForOneAppInOneRequestAreOneGatherOneIncidentAndOneNote() throws Exception {
        try (Responder responder = responder();
             InProcessServe serve = new InProcessServe(responder, intake(20), 2, 1000, Duration.ofMillis(50), null)) {
            HttpResponse<String> first = serve.post("/api/alerts", eventGridArray("a", 100, "Fired"));
            assertThat(first.statusCode()).isEqualTo(202);
            JsonNode answer = Json.mapper().readTree(first.body());
            assertThat(answer.path("alerts")).hasSize(1);
            assertThat(answer.path("joined").asInt()).isEqualTo(99);

            // A second batch inside the cooldown: queued once, and it joins the open incident quietly.
            HttpResponse<String> second = serve.post("/api/alerts", eventGridArray("b", 100, "Fired"));
            assertThat(Json.mapper().readTree(second.body()).path("alerts")).hasSize(1);
            assertThat(serve.awaitFinished(2, Duration.ofSeconds(60))).isTrue();

            assertThat(azureGathers).as("one gather for both requests").hasValue(1);
            assertThat(teams.notes()).as("one note").isEqualTo(1);
            assertThat(serve.count(ResponseOutcome.Status.DELIVERED)).isEqualTo(1);
            assertThat(serve.count(ResponseOutcome.Status.QUIET)).isEqualTo(1);
            assertThat(store.incidents(LEAK.truth().app().resourceId(), 10)).hasSize(1);
        }
    }

    @Test
    void eachAppIsRateLimitedAndResolvedCountsApartFromFired() throws Exception {
        try (Responder responder = responder();
             InProcessServe serve = new InProcessServe(responder, intake(5), 2, 1000, Duration.ofMillis(50), null)) {
            int accepted = 0;
            int limited = 0;
            for (int i = 0; i < 8; i++) {
                JsonNode a = Json.mapper().readTree(serve.post("/api/alerts", eventGridArray("r" + i, 1, "Fired")).body());
                if (a.path("status").asText().equals("accepted")) {
                    accepted++;
                } else {
                    assertThat(a.path("reason").asText()).startsWith("rate limited");
                    limited++;
                }
            }
            assertThat(accepted).isEqualTo(5);
            assertThat(limited).isEqualTo(3);
            JsonNode resolved = Json.mapper().readTree(serve.post("/api/alerts", eventGridArray("z", 1, "Resolved")).body());
            assertThat(resolved.path("status").asText()).as("the Resolved that closes the incident is never held back by Fired").isEqualTo("accepted");
        }
    }
}
