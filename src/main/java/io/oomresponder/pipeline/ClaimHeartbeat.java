package io.oomresponder.pipeline;

import io.oomresponder.store.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Renews one handler's claim every {@link ClaimTiming#heartbeat()} while it works, and stops at the
 * end of the handler's budget: a live handler keeps its claim, a dead or hung one loses it at most
 * one lease later. When a renewal finds the claim is no longer ours, {@link #lost()} turns true and
 * the handler must not deliver (the new owner does).
 */
final class ClaimHeartbeat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClaimHeartbeat.class);

    private final IncidentStore store;
    private final String dedupeKey;
    private final String owner;
    private final Clock clock;
    private final Instant stopAt;
    private final Runnable onRenewal;
    private final AtomicBoolean lost = new AtomicBoolean();
    private volatile ScheduledFuture<?> task;

    private ClaimHeartbeat(IncidentStore store, String dedupeKey, String owner, Clock clock, Instant stopAt, Runnable onRenewal) {
        this.store = store;
        this.dedupeKey = dedupeKey;
        this.owner = owner;
        this.clock = clock;
        this.stopAt = stopAt;
        this.onRenewal = onRenewal;
    }

    /** Starts renewing on {@code timer} every {@code every} until {@code stopAt} (by {@code clock}) or {@link #close()}. */
    static ClaimHeartbeat start(ScheduledExecutorService timer, IncidentStore store, String dedupeKey, String owner,
                                Clock clock, Duration every, Instant stopAt, Runnable onRenewal) {
        ClaimHeartbeat h = new ClaimHeartbeat(store, dedupeKey, owner, clock, stopAt, onRenewal);
        long ms = Math.max(1, every.toMillis());
        h.task = timer.scheduleWithFixedDelay(h::beat, ms, ms, TimeUnit.MILLISECONDS);
        return h;
    }

    /** One renewal. */
    void beat() {
        if (lost.get()) {
            return;
        }
        Instant now = clock.instant();
        if (now.isAfter(stopAt)) {
            // Past the handler's budget: a handler still running is hung; let its claim run out so the queue's retry takes over.
            LOG.warn("alert {} is past its handler budget; its claim is no longer renewed", dedupeKey);
            cancel();
            return;
        }
        try {
            if (!store.renewClaim(dedupeKey, owner, now)) {
                lost.set(true);
                LOG.warn("the claim of alert {} was taken over by another delivery; this handler will not deliver", dedupeKey);
                cancel();
            }
        } catch (RuntimeException e) {
            // A storage hiccup: three more renewals fit in one lease.
            LOG.warn("could not renew the claim of alert {}: {}", dedupeKey, e.toString());
        } finally {
            onRenewal.run();
        }
    }

    /** True when a renewal found the claim taken over. */
    boolean lost() {
        return lost.get();
    }

    private void cancel() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    @Override
    public void close() {
        cancel();
    }
}
