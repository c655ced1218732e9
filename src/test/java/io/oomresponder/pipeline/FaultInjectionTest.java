package io.oomresponder.pipeline;

import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.RetryPolicy;
import io.oomresponder.delivery.RetryingNotifier;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.delivery.webhook.WebhookConfig;
import io.oomresponder.delivery.webhook.WebhookNotifier;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.simulator.azure.Fault;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults injected into every evidence source (the fake Azure's ARM, metrics and Log Analytics
 * endpoints: 429 with Retry-After, 500, 403, hanging calls, latency, empty answers) and into a sink
 * (a loopback webhook answering 500, 429, 503, 400 or too late): every alert still ends in exactly
 * one delivered note, with the missing evidence named as a gap. The counts are printed at the end.
 */
class FaultInjectionTest {

    private static final String WEBHOOK_SECRET = "fault-test-webhook-secret-0123456789";
    private static SimulatedApp app;
    /** Deadlines for the hang cases: the source gives up after 4 s of a call that never answers. */
    private static final Map<String, String> SHORT_DEADLINES = Map.of("EVIDENCE_SOURCE_TIMEOUT", "PT4S", "EVIDENCE_CALL_TIMEOUT", "PT1S");
    private static final AtomicInteger ALERTS = new AtomicInteger();
    private static final List<String> TALLY = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        app = new SimulatedApp("leak/classic", 31, Map.of());
    }

    @AfterEach
    void clearFaults() {
        app.azure.faults().clear();
    }

    @AfterAll
    static void report() {
        System.out.println("fault injection: " + TALLY.size() + " cases");
        TALLY.forEach(t -> System.out.println("  " + t));
        app.close();
    }

    static Stream<Arguments> sourceFaults() {
        List<Arguments> cases = new ArrayList<>();
        for (FakeEndpoint e : List.of(FakeEndpoint.ARM, FakeEndpoint.METRICS, FakeEndpoint.LOGS)) {
            cases.add(Arguments.of(e, "429 Retry-After 1 s, twice", Fault.throttle(Duration.ofSeconds(1)), false, false));
            cases.add(Arguments.of(e, "500 twice", Fault.status(500), false, false));
            cases.add(Arguments.of(e, "500 always", Fault.status(500), true, true));
            cases.add(Arguments.of(e, "403 always", Fault.status(403), true, true));
            // Never answers while the test runs (the fake ends it when it closes): the source deadline must cut it.
            cases.add(Arguments.of(e, "hangs past the timeout", Fault.hang(Duration.ofMinutes(10)), true, true));
            cases.add(Arguments.of(e, "+700 ms latency", Fault.delay(Duration.ofMillis(700)), true, false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("sourceFaults")
    void aFaultyEvidenceSourceStillEndsInExactlyOneNoteThatNamesTheGap(FakeEndpoint endpoint, String what, Fault fault,
                                                                        boolean standing, boolean gapExpected) {
        if (standing) {
            app.azure.faults().failAlways(endpoint, fault);
        } else {
            app.azure.faults().failNext(endpoint, fault, 2);
        }
        RecordingNotifier sink = new RecordingNotifier();
        QueuedAlert message = app.message(ALERTS.incrementAndGet());
        // Only a hang needs a deadline to trip, and it never ends by itself, so short deadlines cannot be
        // missed by a slow machine there; every other case has deadlines no loaded machine comes near, so
        // a gap can only come from the fault itself.
        AzureEvidenceSource evidence = fault.kind() == Fault.Kind.HANG ? app.evidence(SHORT_DEADLINES) : app.evidence();
        try (Responder responder = app.responder(evidence, memoryStore(), List.of(sink))) {
            AlertRun run = responder.run(message, Progress.SILENT);

            String source = endpoint.name().toLowerCase(Locale.ROOT);
            List<EvidenceGap> gaps = run.bundle().gaps();
            TALLY.add(String.format(Locale.ROOT, "%-8s %-28s -> %s, notes %d, gaps %s, gather %d ms, %d calls", endpoint, what,
                    run.outcome().status(), sink.notes.size(), gaps.stream().map(EvidenceGap::source).toList(),
                    run.timings().gatherMs(), run.timings().calls()));
            assertThat(run.outcome().status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(sink.notesFor(message.alert().id())).isEqualTo(1);
            if (gapExpected) {
                assertThat(gaps).extracting(EvidenceGap::source).contains(source);
                assertThat(run.note().markdown()).contains("Evidence gaps");
                assertThat(run.note().text()).containsIgnoringCase(source);
            } else {
                assertThat(gaps).as("a transient fault or latency leaves no gap").isEmpty();
            }
            // Retries are bounded (the gather's wall time is in TALLY, not asserted: a loaded machine
            // stretches it): at most 1 + 3 attempts for each call (a clean gather makes 9; 12 leaves room for more).
            assertThat(run.timings().calls()).isLessThanOrEqualTo(12 * 4);
        }
    }

    @Test
    void withEverySourceDownTheNoteStillGoesOutAndSaysWhatIsMissing() {
        for (FakeEndpoint e : List.of(FakeEndpoint.ARM, FakeEndpoint.METRICS, FakeEndpoint.LOGS)) {
            app.azure.faults().failAlways(e, Fault.status(503));
        }
        RecordingNotifier sink = new RecordingNotifier();
        try (Responder responder = app.responder(app.evidence(), memoryStore(), List.of(sink))) {
            AlertRun run = responder.run(app.message(ALERTS.incrementAndGet()), Progress.SILENT);

            TALLY.add("all sources 503 always -> " + run.outcome().status() + ", verdict " + run.diagnosis().verdict()
                    + ", gaps " + run.bundle().gaps().stream().map(EvidenceGap::source).toList());
            assertThat(run.outcome().status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(sink.notes).hasSize(1);
            assertThat(run.bundle().gaps()).extracting(EvidenceGap::source).contains("arm", "metrics", "logs");
        }
    }

    /** Sink answers, one per request: a status, or "late" (answers 200 after the client gave up). */
    static Stream<Arguments> sinkFaults() {
        return Stream.of(
                Arguments.of("500, 500, then 200", List.of("500", "500", "200"), false),
                Arguments.of("429 Retry-After 1 s, then 200", List.of("429", "200"), false),
                Arguments.of("answers too late, then 200", List.of("late", "200"), false),
                Arguments.of("503 on every attempt, recovers for redelivery", List.of("503", "503", "503", "503", "200"), true),
                Arguments.of("400 (not retryable): reported, not retried", List.of("400", "200"), true));
    }

    @ParameterizedTest(name = "sink {0}")
    @MethodSource("sinkFaults")
    void aFailingSinkIsRetriedOrRedeliveredAndTheReceiverGetsOneNote(String what, List<String> answers, boolean parks) throws InterruptedException {
        Deque<String> script = new ArrayDeque<>(answers);
        CountDownLatch lateArrived = new CountDownLatch((int) answers.stream().filter("late"::equals).count());
        List<Duration> waits = new CopyOnWriteArrayList<>();
        // The retrying notifier reports each wait before a retry: the client has given up on the attempt before it.
        CountDownLatch clientGaveUp = new CountDownLatch(1);
        try (LoopbackServer receiver = new LoopbackServer()) {
            receiver.on("POST /hook", r -> {
                String next;
                synchronized (script) {
                    next = script.size() > 1 ? script.poll() : script.peek();
                }
                if (next.equals("late")) {
                    lateArrived.countDown(); // the receiver has recorded this request (before the handler runs)
                    // The fault itself: answer only once the client has given up on this request (its
                    // timeout passed and it is about to retry), however long that takes on this machine.
                    await(clientGaveUp);
                    return LoopbackServer.Response.of(200, "");
                }
                int status = Integer.parseInt(next);
                return status == 429
                        ? new LoopbackServer.Response(429, "slow down", Map.of("Retry-After", "1"))
                        : LoopbackServer.Response.of(status, status == 200 ? "" : "failure " + status);
            });
            // Every answer but the late one comes at once; 5 s leaves a loaded machine room for those, and the
            // late one never comes before the client gives up, whatever the timeout.
            SinkHttpClient http = SinkHttpClient.create(Duration.ofSeconds(5), app.clock);
            Notifier webhook = new RetryingNotifier(new WebhookNotifier(new WebhookConfig(receiver.uri("/hook"), WEBHOOK_SECRET), http),
                    new RetryPolicy(4, Duration.ofMillis(20), Duration.ofMillis(100)), w -> {
                        waits.add(w);
                        clientGaveUp.countDown();
                    }, () -> 0.5);
            IncidentStore store = memoryStore();
            QueuedAlert message = app.message(ALERTS.incrementAndGet());
            try (Responder responder = app.responder(app.evidence(), store, List.of(webhook))) {
                AlertRun run = responder.run(message, Progress.SILENT);
                assertThat(run.outcome().status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
                assertThat(run.parked()).isEqualTo(parks ? List.of(WebhookNotifier.NAME) : List.of());

                int redelivered = 0;
                if (parks) {
                    app.clock.advance(RedeliveryPolicy.DEFAULT_MAX_BACKOFF.plusMinutes(1));
                    redelivered = responder.redeliverDue();
                    app.clock.advance(RedeliveryPolicy.DEFAULT_MAX_BACKOFF.plusMinutes(1));
                    assertThat(responder.redeliverDue()).as("nothing left to redeliver").isZero();
                }
                assertThat(lateArrived.await(1, TimeUnit.MINUTES)).as("the late request reached the receiver").isTrue();
                List<LoopbackServer.Request> requests = receiver.requests();
                long keys = requests.stream().map(r -> r.header("Idempotency-Key")).distinct().count();
                TALLY.add(String.format(Locale.ROOT, "sink %-48s -> %d request(s), %d idempotency key(s), parked %s, redelivered %d, waits %s",
                        what, requests.size(), keys, run.parked(), redelivered, waits));
                assertThat(keys).as("every request carries the same note's key").isEqualTo(1);
                assertThat(requests).allSatisfy(r -> assertThat(r.bodyText()).contains(message.alert().id()));
                if (parks) {
                    // A refusal (4xx) is a configuration problem: redelivery reports it (log, fallback sink)
                    // rather than hammering the sink; anything else is redelivered once the sink is back.
                    boolean refused = answers.get(0).startsWith("4");
                    assertThat(redelivered).isEqualTo(refused ? 0 : 1);
                    assertThat(requests).hasSize(refused ? 1 : answers.size());
                    assertThat(store.undelivered(io.oomresponder.store.UndeliveredNote.Status.PENDING)).isEmpty();
                }
                if (answers.get(0).equals("429")) {
                    assertThat(waits).as("Retry-After honoured").anySatisfy(w -> assertThat(w).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
                }
            }
        }
    }

    private static IncidentStore memoryStore() {
        return new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
