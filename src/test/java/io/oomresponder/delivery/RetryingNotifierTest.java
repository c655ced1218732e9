package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RetryingNotifierTest {

    private final List<Duration> slept = new ArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(5));
    private final RenderedNote note = new RenderedNote("alert-1", "alert-1|Fired", null, RenderedNote.Kind.NEW_INCIDENT, false,
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app", null, "t", null, "md", "<p>", "text", null, null);

    /** A sink that fails with the given exceptions in turn, then succeeds. */
    private static final class ScriptedSink implements Notifier {
        final Deque<DeliveryException> failures;
        int calls;

        ScriptedSink(DeliveryException... failures) {
            this.failures = new ArrayDeque<>(List.of(failures));
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Receipt send(RenderedNote note) {
            calls++;
            DeliveryException next = failures.poll();
            if (next != null) {
                throw next;
            }
            return new Receipt("scripted", "ok");
        }
    }

    private RetryingNotifier retrying(Notifier sink, double jitter) {
        return new RetryingNotifier(sink, policy, slept::add, () -> jitter);
    }

    private static DeliveryException status(int status, Duration retryAfter) {
        return new DeliveryException("scripted", StatusClassifier.reason(status), StatusClassifier.retryable(status), retryAfter, "HTTP " + status, null);
    }

    @Test
    void retriesOn503ThenDeliversWithExponentialJitteredBackoff() {
        ScriptedSink sink = new ScriptedSink(status(503, null), status(503, null), status(502, null));

        Receipt receipt = retrying(sink, 0.5).send(note);

        assertThat(receipt.reference()).isEqualTo("ok");
        assertThat(sink.calls).isEqualTo(4);
        // ceilings 1 s, 2 s, 4 s; full jitter at 0.5
        assertThat(slept).containsExactly(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));
    }

    @Test
    void doesNotRetryOn400() {
        ScriptedSink sink = new ScriptedSink(status(400, null));

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> retrying(sink, 0.5).send(note));

        assertThat(sink.calls).isEqualTo(1);
        assertThat(slept).isEmpty();
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("gave up after 1 attempt");
    }

    @Test
    void honoursRetryAfterOn429WhenLongerThanTheBackoff() {
        ScriptedSink sink = new ScriptedSink(status(429, Duration.ofSeconds(42)));

        retrying(sink, 0.1).send(note);

        assertThat(slept).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void failureAfterTheLastAttemptReachesTheCallerAsDeliveryException() {
        ScriptedSink sink = new ScriptedSink(status(500, null), status(500, null), status(500, null), status(500, null), status(500, null));

        DeliveryException e = catchThrowableOfType(DeliveryException.class, () -> retrying(sink, 1.0).send(note));

        assertThat(sink.calls).isEqualTo(4);
        assertThat(e.retryable()).isTrue();
        assertThat(e.reason()).isEqualTo(DeliveryException.Reason.SERVER_ERROR);
        assertThat(e.getMessage()).contains("gave up after 4 attempts");
        // backoff is capped by maxDelay
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void backoffNeverExceedsTheMaximum() {
        RetryingNotifier r = retrying(new ScriptedSink(), 0.999);
        for (int attempt = 1; attempt < 40; attempt++) {
            assertThat(r.backoff(attempt, null)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        }
    }

    @Test
    void aRetryAfterBeyondTheBudgetIsNotSleptButHandedBackWithTheSinksRetryAfter() {
        ScriptedSink sink = new ScriptedSink(status(429, Duration.ofHours(1)));

        DeliveryException e = catchThrowableOfType(() -> retrying(sink, 0.5).send(note, Duration.ofSeconds(30)), DeliveryException.class);

        assertThat(slept).as("no inline wait in the worker").isEmpty();
        assertThat(sink.calls).isEqualTo(1);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(e.getMessage()).contains("beyond this handler's budget");
    }

    @Test
    void shortWaitsWithinTheBudgetAreStillRetriedInline() {
        ScriptedSink sink = new ScriptedSink(status(429, Duration.ofSeconds(2)), status(503, null));

        Receipt receipt = retrying(sink, 0.5).send(note, Duration.ofSeconds(30));

        assertThat(receipt.reference()).isEqualTo("ok");
        assertThat(slept).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
    }
}
