package io.oomresponder.pipeline;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.RetryPolicy;
import io.oomresponder.delivery.RetryingNotifier;
import io.oomresponder.delivery.SinkCalls;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import io.oomresponder.store.TableIncidentStore;
import io.oomresponder.store.UndeliveredNote;
import io.oomresponder.testing.AzuriteExtension;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17 on the pipeline, with the incident store on Azure Table storage (Azurite, real client):
 * the claim heartbeat, per-sink delivery records on a takeover, sinks called in parallel within the
 * handler's budget, a long Retry-After parked rather than slept, a hanging sink, and a note whose
 * redelivery expires reported in the health answer. Waits are on counts and latches, never on time.
 */
@ExtendWith(AzuriteExtension.class)
class QueueReliabilityTest {

    /** Short, so that the heartbeat renews every 500 ms of real time. */
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static SimulatedApp app;
    private static TableServiceClient service;
    private final ExecutorService background = Executors.newCachedThreadPool();

    @BeforeAll
    static void start(AzuriteExtension.Azurite azurite) {
        app = new SimulatedApp("leak/classic", 43, Map.of());
        service = new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static TableIncidentStore store(String prefix) {
        return new TableIncidentStore(service, prefix, IncidentPolicy.ofDefaults(), LEASE);
    }

    private static String prefix() {
        return "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static Responder responder(TableIncidentStore store, List<Notifier> sinks, Duration budget, RedeliveryPolicy policy) {
        return new Responder(app.evidence(), store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, policy, app.clock), app.clock, "test", app.intake(), budget);
    }

    /** A responder whose sinks' budget runs out when {@code deadline} says, not after real time. */
    private static Responder responder(TableIncidentStore store, List<Notifier> sinks, SinkCalls.Deadline deadline) {
        return new Responder(app.evidence(), store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), app.clock), app.clock, "test", app.intake(),
                Duration.ofSeconds(1), null, deadline);
    }

    /** Done once all calls but one are done (their sinks answered and the answers were recorded). */
    private static CompletableFuture<Void> allButOne(List<CompletableFuture<Void>> calls) {
        CompletableFuture<Void> out = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(calls.size() - 1);
        if (left.get() <= 0) {
            out.complete(null);
        }
        calls.forEach(c -> c.thenRun(() -> {
            if (left.decrementAndGet() == 0) {
                out.complete(null);
            }
        }));
        return out;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aLiveHandlerKeepsItsClaimPastTheLeaseAndTheRedeliveryBecomesADuplicate() throws Exception {
        String prefix = prefix();
        CountDownLatch inSink = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Gate slow = new Gate("teams", inSink, release);
        QueuedAlert message = app.message(2001);
        try (Responder first = responder(store(prefix), List.of(slow), Duration.ofMinutes(4), RedeliveryPolicy.ofDefaults());
             Responder second = responder(store(prefix), List.of(slow), Duration.ofMinutes(4), RedeliveryPolicy.ofDefaults())) {
            Future<ResponseOutcome> working = background.submit(() -> first.respond(message));
            assertThat(inSink.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // Three leases pass while the first handler works; it renews its claim each quarter lease.
            for (int i = 0; i < 3; i++) {
                long before = first.renewals();
                app.clock.advance(LEASE);
                await("a renewal", () -> first.renewals() > before + 1);
            }
            assertThatThrownBy(() -> second.respond(message)).as("still held: retried, not taken over")
                    .isInstanceOf(AlertInProgressException.class);

            release.countDown();
            assertThat(working.get(60, TimeUnit.SECONDS).status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(second.respond(message).status()).isEqualTo(ResponseOutcome.Status.DUPLICATE);
            assertThat(slow.sent).hasSize(1);
        }
    }

    @Test
    void aTakeoverDeliversOnlyToTheSinksThatHaveNotHadTheNote() throws Exception {
        String prefix = prefix();
        Counting teams = new Counting("teams");
        CountDownLatch teamsDone = new CountDownLatch(1);
        Notifier teamsThenSignal = new Notifier() {
            @Override
            public String name() {
                return "teams";
            }

            @Override
            public Receipt send(RenderedNote note) {
                Receipt r = teams.send(note);
                teamsDone.countDown();
                return r;
            }
        };
        Notifier dyingWebhook = new Notifier() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public Receipt send(RenderedNote note) {
                try {
                    teamsDone.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new KilledMidAlertTest.ProcessKilled("while calling the webhook");
            }
        };
        QueuedAlert message = app.message(2002);
        TableIncidentStore firstStore = store(prefix);
        try (Responder dying = responder(firstStore, List.of(teamsThenSignal, dyingWebhook), Duration.ofMinutes(4), RedeliveryPolicy.ofDefaults())) {
            assertThatThrownBy(() -> dying.respond(message)).isInstanceOf(KilledMidAlertTest.ProcessKilled.class);
        }
        // The dead handler's heartbeat stopped with it; one lease later the queue's redelivery takes over.
        app.clock.advance(LEASE.plusSeconds(1));
        Counting webhook = new Counting("webhook");
        try (Responder restarted = responder(store(prefix), List.of(teams, webhook), Duration.ofMinutes(4), RedeliveryPolicy.ofDefaults())) {
            assertThat(restarted.respond(message).status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
        }
        assertThat(teams.sent).as("teams had the note before the death: not sent again").hasSize(1);
        assertThat(webhook.sent).hasSize(1);
    }

    @Test
    void aLongRetryAfterParksTheNoteUntilTheTimeTheSinkAskedForWithoutSleepingAndTheOtherSinkIsNotDelayed() throws Exception {
        String prefix = prefix();
        Duration retryAfter = Duration.ofHours(1);
        List<Duration> slept = new CopyOnWriteArrayList<>();
        Throttling throttled = new Throttling("teams", retryAfter);
        Notifier teams = new RetryingNotifier(throttled, RetryPolicy.ofDefaults(), slept::add, () -> 0.5);
        Counting webhook = new Counting("webhook");
        TableIncidentStore store = store(prefix);
        RedeliveryPolicy policy = new RedeliveryPolicy(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofHours(24), 50);
        QueuedAlert message = app.message(2003);
        Instant handledAt = app.clock.instant();
        try (Responder responder = responder(store, List.of(teams, webhook), Duration.ofSeconds(30), policy)) {
            AlertRun run = responder.run(message, Progress.SILENT);
            assertThat(run.parked()).containsExactly("teams");
            assertThat(webhook.sent).hasSize(1);
            assertThat(slept).as("the worker never slept for the Retry-After").isEmpty();
            assertThat(store.undelivered(UndeliveredNote.Status.PENDING)).singleElement()
                    .satisfies(n -> assertThat(n.nextAttemptAt()).isEqualTo(handledAt.plus(retryAfter).truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));

            app.clock.advance(retryAfter.minusMinutes(1));
            assertThat(responder.redeliverDue()).as("not before the time the sink asked for").isZero();
            throttled.recover();
            app.clock.advance(Duration.ofMinutes(1));
            assertThat(responder.redeliverDue()).isEqualTo(1);
            assertThat(throttled.sent).hasSize(1);
            assertThat(store.deliveredSinks(message.dedupeKey())).containsExactlyInAnyOrder("teams", "webhook");
        }
    }

    @Test
    void aHangingSinkIsParkedAtTheDeadlineAndItsLateAnswerIsRecordedSoItIsNotSentTwice() throws Exception {
        String prefix = prefix();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        Gate hanging = new Gate("teams", entered, answer);
        Counting webhook = new Counting("webhook");
        TableIncidentStore store = store(prefix);
        QueuedAlert message = app.message(2004);
        // The budget runs out once the webhook has answered (and its answer is recorded) and teams is
        // hanging: never before, however slow the machine, and never while teams could still answer in time.
        SinkCalls.Deadline deadline = (budget, calls) -> allButOne(calls).thenCombine(
                CompletableFuture.runAsync(() -> awaitLatch(entered)), (a, b) -> null);
        try (Responder responder = responder(store, List.of(hanging, webhook), deadline)) {
            AlertRun run = responder.run(message, Progress.SILENT);

            assertThat(run.outcome().status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(webhook.sent).hasSize(1);
            assertThat(run.parked()).containsExactly("teams");
            // Teams is still hanging (it ignores the interrupt, as a blocked socket read would): nothing recorded yet.
            assertThat(hanging.sent).isEmpty();
            assertThat(store.deliveredSinks(message.dedupeKey())).containsExactly("webhook");
            // The hung call answers late after all: recorded, so the redelivery does not send it again.
            answer.countDown();
            await("the late answer to be recorded", () -> store.deliveredSinks(message.dedupeKey()).contains("teams"));
            app.clock.advance(Duration.ofMinutes(2));
            responder.redeliverDue();
            assertThat(hanging.sent).hasSize(1);
            assertThat(store.undelivered(UndeliveredNote.Status.PENDING)).isEmpty();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aNoteWhoseRedeliveryExpiresIsRecordedUndeliverableAndShownInHealth() {
        String prefix = prefix();
        Throttling down = new Throttling("teams", null);
        TableIncidentStore store = store(prefix);
        RedeliveryPolicy policy = new RedeliveryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(30), 50);
        QueuedAlert message = app.message(2005);
        try (Responder responder = responder(store, List.of(down), Duration.ofSeconds(30), policy)) {
            responder.run(message, Progress.SILENT);
            for (int i = 0; i < 8; i++) {
                app.clock.advance(Duration.ofMinutes(5));
                responder.redeliverDue();
            }
            assertThat(store.undelivered(UndeliveredNote.Status.EXPIRED)).singleElement()
                    .satisfies(n -> assertThat(n.lastError()).contains("aged out"));
            Map<String, Object> health = responder.deliveryHealth();
            assertThat(health.get("undeliverable")).isEqualTo(1L);
            assertThat((String) health.get("lastUndeliverable")).contains(message.alert().id(), "teams");
        }
    }

    /** Records every note; never fails. */
    static class Counting implements Notifier {
        final String name;
        final List<RenderedNote> sent = new CopyOnWriteArrayList<>();

        Counting(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Receipt send(RenderedNote note) {
            sent.add(note);
            return new Receipt(name, name + "-" + sent.size());
        }
    }

    /**
     * Signals when called, then waits for the test to let it answer. An interrupt does not make it
     * answer early (a sink blocked in a socket read does not notice one either); it is passed on
     * with the answer.
     */
    static final class Gate extends Counting {
        private final CountDownLatch entered;
        private final CountDownLatch release;

        Gate(String name, CountDownLatch entered, CountDownLatch release) {
            super(name);
            this.entered = entered;
            this.release = release;
        }

        @Override
        public Receipt send(RenderedNote note) {
            entered.countDown();
            boolean interrupted = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (release.getCount() > 0 && System.nanoTime() < until) {
                try {
                    release.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return super.send(note);
        }
    }

    /** Answers 429 (with Retry-After) or 503 until {@link #recover()}. */
    static final class Throttling extends Counting {
        private final Duration retryAfter;
        private volatile boolean recovered;
        final List<Instant> refused = new ArrayList<>();

        Throttling(String name, Duration retryAfter) {
            super(name);
            this.retryAfter = retryAfter;
        }

        void recover() {
            recovered = true;
        }

        @Override
        public Receipt send(RenderedNote note) {
            if (!recovered) {
                int status = retryAfter == null ? 503 : 429;
                throw new DeliveryException(name, retryAfter == null ? DeliveryException.Reason.SERVER_ERROR : DeliveryException.Reason.THROTTLED,
                        true, retryAfter, name + " answered " + status + " for alert " + note.alertId(), null);
            }
            return super.send(note);
        }
    }
}
