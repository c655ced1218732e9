package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.TableIncidentStore;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The process killed mid-alert: a first responder claims the alert in the incident store (Azure
 * Table storage on Azurite, real client) and dies at one of three points; a second responder, a
 * new process with its own store client, receives the queue's redeliveries. A redelivery that
 * arrives while the dead claim's lease still runs is retried, not dropped; after the lease it is
 * taken over; every alert ends in exactly one delivered note (the third point relies on the
 * sink's idempotency key, since the note had left before the death).
 */
@ExtendWith(AzuriteExtension.class)
class KilledMidAlertTest {

    /** ALERT_CLAIM_LEASE, short for the test; production uses 10 minutes. */
    private static final Duration CLAIM_LEASE = Duration.ofSeconds(2);
    private static final List<String> TALLY = new ArrayList<>();

    private static SimulatedApp app;
    private static TableServiceClient service;
    private static String connectionString;

    /** Stands for the process being killed: nothing below it runs, no claim is released. */
    static final class ProcessKilled extends Error {
        ProcessKilled(String where) {
            super("killed " + where);
        }
    }

    @BeforeAll
    static void start(AzuriteExtension.Azurite azurite) {
        app = new SimulatedApp("leak/classic", 41, Map.of());
        connectionString = azurite.connectionString();
        service = new TableServiceClientBuilder().connectionString(connectionString).buildClient();
    }

    @AfterAll
    static void stop() {
        System.out.println("killed mid-alert: " + TALLY.size() + " alerts");
        TALLY.forEach(t -> System.out.println("  " + t));
        app.close();
    }

    @Test
    void killedAfterTheClaim() {
        runKill("after the claim, before the evidence", 1, (killed, sink) -> new Killing(killed, sink, true, false, false));
    }

    @Test
    void killedAfterTheDiagnosisWasRecordedBeforeDelivery() {
        runKill("after the incident was recorded, before delivery", 2, (killed, sink) -> new Killing(killed, sink, false, true, false));
    }

    @Test
    void killedAfterTheNoteLeftBeforeCompletion() {
        runKill("after the note was sent, before completion", 3, (killed, sink) -> new Killing(killed, sink, false, false, true));
    }

    private interface KillPlan {
        Killing of(AtomicBoolean killed, SinkLog sink);
    }

    private void runKill(String where, int n, KillPlan plan) {
        String prefix = "k" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + n;
        SinkLog receiver = new SinkLog();
        AtomicBoolean killed = new AtomicBoolean();
        Killing killing = plan.of(killed, receiver);
        QueuedAlert message = app.message(1000 + n);

        // Process 1: dies at the planned point.
        TableIncidentStore first = new TableIncidentStore(service, prefix, IncidentPolicy.ofDefaults(), CLAIM_LEASE);
        try (Responder dying = app.responder(killing.evidence(app.evidence()), first, List.of(killing.sink()))) {
            assertThatThrownBy(() -> dying.respond(message)).isInstanceOf(ProcessKilled.class);
        }

        // Process 2: a new store client on the same tables; the queue redelivers the message.
        TableIncidentStore second = TableIncidentStore.fromSettings(new Settings(Map.of(
                "INCIDENT_STORE_CONNECTION", connectionString, "INCIDENT_TABLE_PREFIX", prefix,
                "ALERT_CLAIM_LEASE", CLAIM_LEASE.toString())));
        List<String> attempts = new ArrayList<>();
        try (Responder restarted = app.responder(app.evidence(), second, List.of(receiver))) {
            // Redelivered while the dead claim's lease still runs: retried later, never dropped as a duplicate.
            assertThatThrownBy(() -> restarted.respond(message)).isInstanceOf(AlertInProgressException.class);
            attempts.add("in progress (retry)");
            app.clock.advance(CLAIM_LEASE.plusSeconds(1));
            ResponseOutcome taken = restarted.respond(message);
            attempts.add(taken.status().name());
            ResponseOutcome late = restarted.respond(message);
            attempts.add(late.status().name());

            assertThat(taken.status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(late.status()).isEqualTo(ResponseOutcome.Status.DUPLICATE);
        }
        long distinctNotes = receiver.keys.stream().distinct().count();
        TALLY.add(String.format(Locale.ROOT, "killed %-48s -> redeliveries %s; sink requests %d, distinct notes %d",
                where, attempts, receiver.keys.size(), distinctNotes));
        assertThat(distinctNotes).as("exactly one note reaches the sink").isEqualTo(1);
        if (!killing.afterSend) {
            assertThat(receiver.keys).hasSize(1);
        }
    }

    /** A sink that records the idempotency key each note would carry (alert, condition, kind). */
    static final class SinkLog implements Notifier {
        final List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "webhook";
        }

        @Override
        public Receipt send(RenderedNote note) {
            String key = io.oomresponder.delivery.webhook.WebhookNotifier.idempotencyKey(note);
            keys.add(key);
            return new Receipt(name(), key);
        }
    }

    /** Where the first process dies. */
    record Killing(AtomicBoolean killed, SinkLog log, boolean atEvidence, boolean beforeSend, boolean afterSend) {

        EvidenceSource evidence(EvidenceSource real) {
            return new EvidenceSource() {
                @Override
                public EvidenceBundle gather(AlertSignal alert) {
                    return gatherTimed(alert).bundle();
                }

                @Override
                public GatheredEvidence gatherTimed(AlertSignal alert) {
                    if (atEvidence) {
                        killed.set(true);
                        throw new ProcessKilled("after the claim");
                    }
                    return real.gatherTimed(alert);
                }
            };
        }

        Notifier sink() {
            return new Notifier() {
                @Override
                public String name() {
                    return "webhook";
                }

                @Override
                public Receipt send(RenderedNote note) {
                    if (beforeSend) {
                        killed.set(true);
                        throw new ProcessKilled("before delivery");
                    }
                    Receipt r = log.send(note);
                    if (afterSend) {
                        killed.set(true);
                        throw new ProcessKilled("after delivery");
                    }
                    return r;
                }
            };
        }
    }
}
