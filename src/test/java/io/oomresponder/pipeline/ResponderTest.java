package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.CoalescingEvidenceSource;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole pipeline on the simulator, with the real SDK clients, an in-memory store and a recording sink. */
class ResponderTest {

    private static SimulatedIncident leak;
    private static FakeAzure azure;
    private static Settings settings;
    private static MutableClock clock;

    @BeforeAll
    static void startSimulator() {
        leak = ScenarioCatalog.generate("leak/classic", 11);
        clock = new MutableClock(leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)));
        azure = FakeAzure.start(List.of(leak.truth()), 0, clock);
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", leak.truth().app().subscriptionId());
        settings = new Settings(values);
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    @Test
    void aFiredAlertBecomesOneDeliveredNoteAndItsDuplicateIsDropped() {
        RecordingSink sink = new RecordingSink(0);
        try (Responder responder = responder(sink, new CoalescingEvidenceSource(AzureEvidenceSource.fromSettings(settings, clock), clock))) {
            QueuedAlert message = accepted(leak.alertPayload());

            AlertRun first = responder.run(message, Progress.SILENT);
            ResponseOutcome second = responder.respond(message);

            assertThat(first.outcome().status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(first.diagnosis().verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
            assertThat(first.bundle().gaps()).isEmpty();
            assertThat(first.timings().calls()).isPositive();
            assertThat(second.status()).isEqualTo(ResponseOutcome.Status.DUPLICATE);
            assertThat(sink.notes).hasSize(1);
            assertThat(sink.notes.get(0).kind()).isEqualTo(RenderedNote.Kind.NEW_INCIDENT);
            assertThat(sink.notes.get(0).title()).containsIgnoringCase("leak");
        }
    }

    @Test
    void aNoteTheSinkRefusesIsParkedAndRedeliveredLater() {
        RecordingSink sink = new RecordingSink(1);
        try (Responder responder = responder(sink, AzureEvidenceSource.fromSettings(settings, clock))) {
            AlertRun run = responder.run(accepted(withAlertId(leak.alertPayload(), "/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/parked")), Progress.SILENT);
            assertThat(run.parked()).containsExactly("recording");
            assertThat(sink.notes).isEmpty();

            clock.advance(Duration.ofMinutes(5));
            int redelivered = responder.redeliverDue();

            assertThat(redelivered).isEqualTo(1);
            assertThat(sink.notes).hasSize(1);
            assertThat(sink.notes.get(0).alertId()).endsWith("/parked");
        }
    }

    @Test
    void replayUsesTheAlertsOwnWindowAndRecordsNothing() {
        RecordingSink sink = new RecordingSink(0);
        try (Responder responder = responder(sink, AzureEvidenceSource.fromSettings(settings, clock))) {
            AlertSignal alert = accepted(leak.alertPayload()).alert();
            AlertRun run = responder.replay(alert, null, false, Progress.SILENT);

            assertThat(run.note().replay()).isTrue();
            // firedAt + 5 min, rounded up to the next whole minute of the grain
            assertThat(run.bundle().window().end()).isBeforeOrEqualTo(alert.firedAt().plus(Duration.ofMinutes(6)));
            assertThat(sink.notes).as("a dry run sends nothing").isEmpty();
            assertThat(responder.store().incidents(alert.targetResourceId(), 10)).isEmpty();
        }
    }

    @Test
    void replayRequestsThatAreNotAlertsAreRefusedWithAReason() {
        try (Responder responder = responder(new RecordingSink(0), AzureEvidenceSource.fromSettings(settings, clock))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> responder.replay("not json".getBytes(), ReplayPermission.DRY_RUN_ONLY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> responder.replay("{\"payload\": {\"schemaId\": \"x\"}}".getBytes(), ReplayPermission.DRY_RUN_ONLY))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private Responder responder(Notifier sink, io.oomresponder.evidence.EvidenceSource evidence) {
        IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
        List<Notifier> sinks = List.of(sink);
        RedeliveryPolicy fast = new RedeliveryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(24), 50);
        return new Responder(evidence, store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, fast, clock), clock, "memory", AlertIntake.fromSettings(settings));
    }

    private static QueuedAlert accepted(com.fasterxml.jackson.databind.JsonNode payload) {
        try {
            IntakeResult result = AlertIntake.fromSettings(settings).accept(Json.mapper().writeValueAsBytes(payload), Map.of());
            assertThat(result).isInstanceOf(IntakeResult.Accepted.class);
            return ((IntakeResult.Accepted) result).alerts().get(0);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode withAlertId(com.fasterxml.jackson.databind.JsonNode payload, String id) {
        var copy = payload.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy.at("/data/essentials")).put("alertId", id);
        return copy;
    }

    /** A sink of our own interface that refuses the first {@code failures} notes, then records them. */
    private static final class RecordingSink implements Notifier {
        final List<RenderedNote> notes = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresLeft;

        RecordingSink(int failures) {
            failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Receipt send(RenderedNote note) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new DeliveryException(name(), DeliveryException.Reason.SERVER_ERROR, true, "sink answered 503");
            }
            notes.add(note);
            return new Receipt(name(), "note-" + notes.size());
        }
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
