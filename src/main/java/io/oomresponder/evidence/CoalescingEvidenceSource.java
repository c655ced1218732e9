package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gathers evidence once per app per window during an alert storm. A bad deployment fires many
 * alerts for the same app within a minute (one per rule, per replica dimension, Fired then
 * Resolved); their windows are the same up to a few minutes, so one gather serves them all and
 * Azure's read limits are spared. An alert joins a gather of the same app whose alert fired
 * within {@link #tolerance} of its own and that started less than {@link #reuseFor} ago,
 * including one still in flight. The shared bundle carries each caller's own alert.
 */
public final class CoalescingEvidenceSource implements EvidenceSource {

    /** Alerts this close in firing time see the same evidence window, give or take a bucket. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(2);
    /** How long a finished gather stays reusable: short, so a later alert sees fresh evidence. */
    public static final Duration DEFAULT_REUSE_FOR = Duration.ofMinutes(2);

    private final EvidenceSource delegate;
    private final Clock clock;
    private final Duration tolerance;
    private final Duration reuseFor;
    private final Map<String, Deque<Entry>> byApp = new HashMap<>();
    private final AtomicLong gathers = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();

    public CoalescingEvidenceSource(EvidenceSource delegate, Clock clock, Duration tolerance, Duration reuseFor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.reuseFor = Objects.requireNonNull(reuseFor, "reuseFor");
    }

    public CoalescingEvidenceSource(EvidenceSource delegate, Clock clock) {
        this(delegate, clock, DEFAULT_TOLERANCE, DEFAULT_REUSE_FOR);
    }

    @Override
    public EvidenceBundle gather(AlertSignal alert) {
        return gatherTimed(alert).bundle();
    }

    @Override
    public GatheredEvidence gatherTimed(AlertSignal alert) {
        Objects.requireNonNull(alert, "alert");
        Entry entry;
        boolean owner = false;
        String app = alert.targetResourceId().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        synchronized (byApp) {
            // Every app's stale gathers go, not only this app's: an app that never alerts again must
            // not keep its last bundle (megabytes) for the life of the process.
            for (Iterator<Deque<Entry>> it = byApp.values().iterator(); it.hasNext(); ) {
                Deque<Entry> d = it.next();
                d.removeIf(e -> e.isStale(now, reuseFor));
                if (d.isEmpty()) {
                    it.remove();
                }
            }
            Deque<Entry> entries = byApp.computeIfAbsent(app, k -> new ArrayDeque<>());
            entry = find(entries, alert.firedAt());
            if (entry == null) {
                entry = new Entry(alert.firedAt(), now, new CompletableFuture<>());
                entries.addLast(entry);
                owner = true;
            }
        }
        if (owner) {
            gathers.incrementAndGet();
            try {
                entry.result().complete(delegate.gatherTimed(alert));
            } catch (RuntimeException e) {
                entry.result().completeExceptionally(e);
                synchronized (byApp) {
                    byApp.getOrDefault(app, new ArrayDeque<>()).remove(entry);
                }
                throw e;
            }
            return entry.result().join();
        }
        shared.incrementAndGet();
        GatheredEvidence first;
        try {
            first = entry.result().join();
        } catch (CompletionException e) {
            // The gather this alert waited for failed: try on its own rather than share the failure.
            return delegate.gatherTimed(alert);
        }
        return new GatheredEvidence(first.bundle().withAlert(alert), new GatherTimings(0, 0, 0));
    }

    private Entry find(Deque<Entry> entries, Instant firedAt) {
        for (Iterator<Entry> it = entries.descendingIterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (Duration.between(e.firedAt(), firedAt).abs().compareTo(tolerance) <= 0) {
                return e;
            }
        }
        return null;
    }

    /** Gathers actually sent to the delegate. */
    public long gathers() {
        return gathers.get();
    }

    /** Gathers held for reuse or in flight, over all apps (bounded by the apps alerting within {@code reuseFor}). */
    public int held() {
        synchronized (byApp) {
            return byApp.values().stream().mapToInt(Deque::size).sum();
        }
    }

    /** Alerts that were served by another alert's gather. */
    public long shared() {
        return shared.get();
    }

    private record Entry(Instant firedAt, Instant startedAt, CompletableFuture<GatheredEvidence> result) {
        boolean isStale(Instant now, Duration reuseFor) {
            return result.isDone() && startedAt.plus(reuseFor).isBefore(now);
        }
    }
}
