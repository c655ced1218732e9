package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The one retry loop of delivery (notifiers never retry): retries a sink while it says the
 * failure is retryable, with exponential backoff and full jitter, honouring Retry-After (429,
 * 503). When attempts run out, or a failure is not retryable, the last {@link DeliveryException}
 * goes to the caller, which stores the note for redelivery. Logs only when the error changes.
 */
public final class RetryingNotifier implements Notifier {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingNotifier.class);

    private final Notifier delegate;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;

    /**
     * @param jitter returns a number in [0, 1): the share of the backoff ceiling to wait
     */
    public RetryingNotifier(Notifier delegate, RetryPolicy policy, Sleeper sleeper, DoubleSupplier jitter) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    /** With real sleeping and {@link java.util.concurrent.ThreadLocalRandom} jitter. */
    public static RetryingNotifier of(Notifier delegate, RetryPolicy policy) {
        return new RetryingNotifier(delegate, policy, Sleeper.SYSTEM, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /** The wrapped sink. */
    public Notifier delegate() {
        return delegate;
    }

    @Override
    public Receipt send(RenderedNote note) {
        return send(note, null);
    }

    /**
     * Retries within {@code budget} (null: no limit): a wait that would go past the budget, such as a
     * Retry-After of an hour, is not slept; the failure goes to the caller at once, with the sink's
     * Retry-After, so the note is parked for redelivery at the time the sink asked for.
     */
    @Override
    public Receipt send(RenderedNote note, Duration budget) {
        String lastError = null;
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            try {
                Receipt receipt = delegate.send(note);
                if (attempt > 1) {
                    LOG.info("sink {} took alert {} on attempt {}", name(), note.alertId(), attempt);
                }
                return receipt;
            } catch (DeliveryException e) {
                if (!e.retryable() || attempt >= policy.maxAttempts()) {
                    throw new DeliveryException(e.sink(), e.reason(), e.retryable(), e.retryAfter(),
                            e.getMessage() + " (gave up after " + attempt + (attempt == 1 ? " attempt)" : " attempts)"), e);
                }
                Duration wait = backoff(attempt, e.retryAfter());
                if (budget != null && waited.plus(wait).compareTo(budget) > 0) {
                    throw new DeliveryException(e.sink(), e.reason(), true, e.retryAfter(),
                            e.getMessage() + " (the next attempt, in " + wait.toSeconds() + " s, is beyond this handler's budget: parked after "
                                    + attempt + (attempt == 1 ? " attempt)" : " attempts)"), e);
                }
                waited = waited.plus(wait);
                String error = e.reason() + ": " + e.getMessage();
                if (!error.equals(lastError)) {
                    LOG.warn("sink {} failed attempt {} for alert {}: {}; retrying in {} ms", name(), attempt, note.alertId(), e.getMessage(), wait.toMillis());
                    lastError = error;
                }
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new DeliveryException(e.sink(), e.reason(), true, e.retryAfter(),
                            e.getMessage() + " (interrupted after " + attempt + " attempts)", e);
                }
            }
        }
    }

    /** Full jitter under the exponential ceiling; never shorter than the sink's Retry-After. */
    Duration backoff(int attempt, Duration retryAfter) {
        Duration ceiling = policy.ceiling(attempt);
        Duration wait = Duration.ofMillis((long) (ceiling.toMillis() * Math.max(0, Math.min(1, jitter.getAsDouble()))));
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return wait;
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }
}
