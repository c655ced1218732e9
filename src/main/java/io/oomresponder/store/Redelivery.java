package io.oomresponder.store;

import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.note.RenderedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.oomresponder.delivery.SinkCalls;

/**
 * Keeps notes that a sink did not take, and tries them again until they go through or age out.
 *
 * <p>The pipeline {@link #park parks} a note when a sink fails (after the sink's own retries).
 * {@link #sweep()} (the {@code RedeliverNotes} timer function, and a loop in {@code serve}) sends
 * every due note to its sink again. Before an attempt the note is rescheduled conditionally, so
 * of several instances sweeping at once only one sends it. A failed attempt waits
 * {@link RedeliveryPolicy#backoff} (or the sink's Retry-After); a note older than
 * {@link RedeliveryPolicy#maxAge()}, one the sink refuses for good (a non-retryable
 * {@link DeliveryException}), or one whose sink is no longer configured expires: it is logged at
 * ERROR and handed to the fallback notifier. All state is in the store, so a restart loses nothing
 * (with {@link TableIncidentStore}). A crash between a successful send and its bookkeeping sends
 * the note once more; sinks are idempotent by alert id.
 */
public final class Redelivery {

    private static final Logger LOG = LoggerFactory.getLogger(Redelivery.class);

    private final IncidentStore store;
    private final Map<String, Notifier> notifiers;
    private final Notifier fallback;
    private final RedeliveryPolicy policy;
    private final Clock clock;
    private final SinkCalls calls = new SinkCalls();
    private final AtomicLong undeliverable = new AtomicLong();
    private final AtomicReference<String> lastUndeliverable = new AtomicReference<>();
    private final AtomicReference<RedeliveryReport> lastSweep = new AtomicReference<>();
    private volatile Instant lastSweepAt;

    /** How long one redelivery attempt may take; a longer Retry-After parks the note again instead of waiting. */
    public static final Duration SEND_BUDGET = Duration.ofSeconds(30);
    /** A sweep stops taking notes after this (inside the timer function's 5 minutes); the rest stay due. */
    public static final Duration SWEEP_BUDGET = Duration.ofMinutes(3);

    /**
     * @param store     where undelivered notes are kept
     * @param notifiers the configured sinks, by {@link Notifier#name()}
     * @param fallback  where expired notes are reported (e.g. a file sink), or null for the log only
     * @param policy    backoff and maximum age
     * @param clock     time source
     */
    public Redelivery(IncidentStore store, List<Notifier> notifiers, Notifier fallback, RedeliveryPolicy policy, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.notifiers = new LinkedHashMap<>();
        for (Notifier n : Objects.requireNonNull(notifiers, "notifiers")) {
            if (this.notifiers.put(n.name(), n) != null) {
                throw new IllegalArgumentException("two notifiers are named '" + n.name() + "'");
            }
        }
        this.fallback = fallback;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Keeps a note that {@code sink} did not take, for redelivery. A non-retryable
     * {@link DeliveryException} is reported at once instead (stored as EXPIRED).
     *
     * @return false when the same note was already waiting for this sink
     */
    public boolean park(RenderedNote note, String sink, RuntimeException failure) {
        Instant now = clock.instant();
        String error = describe(failure);
        if (failure instanceof DeliveryException d && !d.retryable()) {
            UndeliveredNote refused = UndeliveredNote.firstFailure(note, sink, now, now, error).expired("refused: " + error);
            boolean saved = store.saveUndelivered(refused);
            if (saved) {
                report(refused);
            }
            return saved;
        }
        Duration retryAfter = failure instanceof DeliveryException d ? d.retryAfter() : null;
        UndeliveredNote parked = UndeliveredNote.firstFailure(note, sink, now, next(now, now, 1, retryAfter), error);
        boolean saved = store.saveUndelivered(parked);
        if (saved) {
            LOG.warn("{} did not take the note for alert {} ({}); redelivery from {}", sink, note.alertId(), error, parked.nextAttemptAt());
        } else {
            LOG.debug("note for alert {} is already waiting for {}", note.alertId(), sink);
        }
        return saved;
    }

    /** Sends every due note once; returns what happened. Safe to run on several instances at once. */
    public RedeliveryReport sweep() {
        Instant now = clock.instant();
        long sweepStarted = System.nanoTime();
        List<UndeliveredNote> due = store.dueForRedelivery(now, policy.batchSize());
        int delivered = 0;
        int failed = 0;
        int expired = 0;
        int skipped = 0;
        for (UndeliveredNote note : due) {
            if (System.nanoTime() - sweepStarted > SWEEP_BUDGET.toNanos()) {
                skipped++;
                continue;
            }
            Outcome outcome;
            try {
                outcome = redeliver(note, now);
            } catch (RuntimeException storeFailure) {
                // A storage error on one note (throttling, a timeout) must not stop the others; it stays due.
                LOG.warn("redelivery of alert {} to {} skipped this sweep: {}", note.note().alertId(), note.sink(), storeFailure.toString());
                outcome = Outcome.FAILED;
            }
            switch (outcome) {
                case DELIVERED -> delivered++;
                case FAILED -> failed++;
                case EXPIRED -> expired++;
                case SKIPPED -> skipped++;
            }
        }
        RedeliveryReport report = new RedeliveryReport(due.size(), delivered, failed, expired, skipped);
        lastSweep.set(report);
        lastSweepAt = now;
        if (delivered + expired > 0) {
            LOG.info("redelivery sweep: {}", report);
        } else if (!due.isEmpty()) {
            LOG.debug("redelivery sweep: {}", report);
        }
        return report;
    }

    /** One due note: expire it, or take it for an attempt and send it. */
    private Outcome redeliver(UndeliveredNote note, Instant now) {
        Notifier sink = notifiers.get(note.sink());
        if (note.age(now).compareTo(policy.maxAge()) >= 0 || sink == null) {
            String reason = sink == null ? "sink '" + note.sink() + "' is not configured any more"
                    : "aged out after " + note.attempts() + " attempts in " + note.age(now).toMinutes() + " min; last error: " + note.lastError();
            return expire(note, reason) ? Outcome.EXPIRED : Outcome.SKIPPED;
        }
        Optional<UndeliveredNote> taken = store.reschedule(note.withAttempt(next(now, note.firstFailedAt(), note.attempts() + 1, null)));
        if (taken.isEmpty()) {
            return Outcome.SKIPPED;
        }
        return attempt(taken.get(), sink, now);
    }

    private Outcome attempt(UndeliveredNote note, Notifier sink, Instant now) {
        String dedupeKey = note.note().replay() ? null : note.note().dedupeKey();
        if (dedupeKey != null && store.deliveredSinks(dedupeKey).contains(sink.name())) {
            // The sink took it meanwhile (a late answer, or a takeover): never send it twice.
            store.markRedelivered(note);
            LOG.info("note for alert {} had already reached {}; not sent again", note.note().alertId(), sink.name());
            return Outcome.SKIPPED;
        }
        SinkCalls.Result result = calls.sendAll(note.note(), List.of(sink), SEND_BUDGET, (s, r) -> {
            if (dedupeKey != null) {
                store.recordSinkDelivered(dedupeKey, s.name(), clock.instant());
            }
        }).get(0);
        Receipt receipt = result.receipt();
        if (!result.delivered()) {
            DeliveryException e = result.failure();
            String error = describe(e);
            if (!e.retryable()) {
                return expire(note, "refused: " + error) ? Outcome.EXPIRED : Outcome.SKIPPED;
            }
            Duration retryAfter = e.retryAfter();
            UndeliveredNote again = note.withFailure(error, next(now, note.firstFailedAt(), note.attempts(), retryAfter));
            if (!error.equals(note.lastError())) {
                LOG.warn("redelivery of alert {} to {} failed (attempt {}): {}; next attempt {}",
                        note.note().alertId(), note.sink(), note.attempts(), error, again.nextAttemptAt());
            } else {
                LOG.debug("redelivery of alert {} to {} failed again (attempt {})", note.note().alertId(), note.sink(), note.attempts());
            }
            // If this write loses, the attempt's own reschedule already set a later due time: nothing is lost.
            store.reschedule(again);
            return Outcome.FAILED;
        }
        if (!store.markRedelivered(note)) {
            LOG.debug("note for alert {} to {} changed while it was sent", note.note().alertId(), note.sink());
        }
        store.recordDelivered(note.note(), receipt);
        LOG.info("redelivered the note for alert {} to {} after {} attempts", note.note().alertId(), note.sink(), note.attempts());
        return Outcome.DELIVERED;
    }

    private boolean expire(UndeliveredNote note, String reason) {
        if (!store.markExpired(note, reason)) {
            return false;
        }
        report(note.expired(reason));
        return true;
    }

    /** An expired note is not silently dropped: ERROR in the log, and the fallback notifier gets it. */
    private void report(UndeliveredNote note) {
        RenderedNote n = note.note();
        undeliverable.incrementAndGet();
        lastUndeliverable.set("alert " + n.alertId() + " to " + note.sink() + " at " + clock.instant() + ": " + note.lastError());
        LOG.error("note for alert {} (incident {}, \"{}\") was not delivered to {}: {}",
                n.alertId(), n.incidentId(), n.title(), note.sink(), note.lastError());
        if (fallback == null || fallback.name().equals(note.sink())) {
            return;
        }
        try {
            Receipt r = fallback.send(n);
            LOG.info("undelivered note for alert {} handed to fallback {} ({})", n.alertId(), fallback.name(), r.reference());
        } catch (RuntimeException e) {
            LOG.error("fallback {} did not take the undelivered note for alert {} either: {}", fallback.name(), n.alertId(), describe(e));
        }
    }

    /**
     * What {@code /api/health} shows about delivery: notes reported undeliverable by this process,
     * the latest of them, and the last sweep.
     */
    public Map<String, Object> health() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("undeliverable", undeliverable.get());
        String last = lastUndeliverable.get();
        if (last != null) {
            h.put("lastUndeliverable", last);
        }
        RedeliveryReport r = lastSweep.get();
        if (r != null) {
            h.put("lastSweepAt", String.valueOf(lastSweepAt));
            h.put("lastSweepDue", r.due());
            h.put("lastSweepDelivered", r.delivered());
        }
        return h;
    }

    /** Notes reported undeliverable by this process since it started. */
    public long undeliverable() {
        return undeliverable.get();
    }

    /** Next due time, never later than the moment the note ages out (so expiry is reported on time). */
    private Instant next(Instant now, Instant firstFailedAt, int failedAttempts, Duration retryAfter) {
        Instant next = policy.nextAttemptAt(failedAttempts, now, retryAfter);
        Instant ageOut = firstFailedAt.plus(policy.maxAge());
        return next.isAfter(ageOut) ? ageOut : next;
    }

    /** A short failure description; only our own exception's message, which by contract holds no secrets. */
    private static String describe(RuntimeException e) {
        if (e instanceof DeliveryException d) {
            return d.reason() + ": " + d.getMessage();
        }
        return "unexpected " + e.getClass().getSimpleName();
    }

    private enum Outcome { DELIVERED, FAILED, EXPIRED, SKIPPED }
}
