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
 *
 * <p>What is held for sharing is bounded twice: by time (a gather is dropped {@link #reuseFor} after it
 * started) and by size ({@link #maxHeldBytes}, the oldest finished gathers first). Evidence windows
 * widen to days when memory was already high at their start, so a storm over a few apps can otherwise
 * hold tens of megabytes for two minutes; beyond the bound an alert gathers again, which costs Azure
 * reads, not correctness.
 */
public final class CoalescingEvidenceSource implements EvidenceSource {

    /** Alerts this close in firing time see the same evidence window, give or take a bucket. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(2);
    /** How long a finished gather stays reusable: short, so a later alert sees fresh evidence. */
    public static final Duration DEFAULT_REUSE_FOR = Duration.ofMinutes(2);
    /** Evidence held for sharing, at most (estimated, see {@link #approximateBytes}): half the storm's 64 MB heap target. */
    public static final long DEFAULT_MAX_HELD_BYTES = 32L << 20;

    private final EvidenceSource delegate;
    private final Clock clock;
    private final Duration tolerance;
    private final Duration reuseFor;
    private final long maxHeldBytes;
    private final Map<String, Deque<Entry>> byApp = new HashMap<>();
    /** Estimated bytes of the finished gathers in {@link #byApp}; guarded by it. */
    private long heldBytes;
    private final AtomicLong gathers = new AtomicLong();
    private final AtomicLong shared = new AtomicLong();

    public CoalescingEvidenceSource(EvidenceSource delegate, Clock clock, Duration tolerance, Duration reuseFor, long maxHeldBytes) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
        this.reuseFor = Objects.requireNonNull(reuseFor, "reuseFor");
        if (maxHeldBytes < 0) {
            throw new IllegalArgumentException("maxHeldBytes must not be negative");
        }
        this.maxHeldBytes = maxHeldBytes;
    }

    public CoalescingEvidenceSource(EvidenceSource delegate, Clock clock, Duration tolerance, Duration reuseFor) {
        this(delegate, clock, tolerance, reuseFor, DEFAULT_MAX_HELD_BYTES);
    }

    public CoalescingEvidenceSource(EvidenceSource delegate, Clock clock) {
        this(delegate, clock, DEFAULT_TOLERANCE, DEFAULT_REUSE_FOR);
    }

    @Override
    public EvidenceBundle gather(AlertSignal alert) {
        return gatherTimed(alert).bundle();
    }

    /** Resolution is not shared: each alert asks the source behind. */
    @Override
    public AppResolution resolveApp(AlertSignal alert) {
        return delegate.resolveApp(alert);
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
                d.removeIf(e -> {
                    if (e.isStale(now, reuseFor)) {
                        heldBytes -= e.bytes;
                        return true;
                    }
                    return false;
                });
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
                GatheredEvidence gathered = delegate.gatherTimed(alert);
                synchronized (byApp) {
                    hold(entry, approximateBytes(gathered.bundle()));
                }
                entry.result().complete(gathered);
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

    /**
     * Counts a finished gather as held, then drops the oldest finished gathers while more than
     * {@link #maxHeldBytes} is held (this one too, when it alone is more). Callers already waiting for a
     * dropped gather still get it; only later alerts gather again. Under the {@link #byApp} lock.
     */
    private void hold(Entry entry, long bytes) {
        entry.bytes = bytes;
        heldBytes += bytes;
        while (heldBytes > maxHeldBytes) {
            Entry oldest = null;
            Deque<Entry> in = null;
            for (Deque<Entry> d : byApp.values()) {
                for (Entry e : d) {
                    if (e.bytes > 0 && (oldest == null || e.startedAt().isBefore(oldest.startedAt()))) {
                        oldest = e;
                        in = d;
                    }
                }
            }
            if (oldest == null) {
                return;
            }
            in.remove(oldest);
            heldBytes -= oldest.bytes;
            oldest.bytes = 0;
        }
        byApp.values().removeIf(Deque::isEmpty);
    }

    /**
     * The heap a bundle holds, estimated: its metric columns, and its log lines with their strings.
     * An estimate within a few tens of percent is enough for a bound.
     */
    static long approximateBytes(EvidenceBundle bundle) {
        long bytes = 0;
        for (MetricSeries s : bundle.metrics()) {
            bytes += 96 + s.columnBytes();
        }
        for (ConsoleLine c : bundle.consoleLogs()) {
            bytes += 88 + text(c.message()) + text(c.replica()) + text(c.revision()) + text(c.container()) + text(c.stream());
        }
        for (SystemLogEvent e : bundle.systemLogs()) {
            bytes += 88 + text(e.message()) + text(e.replica()) + text(e.revision()) + text(e.reason()) + text(e.type());
        }
        return bytes;
    }

    /** A String's heap: header, array header, one byte a Latin-1 character (two otherwise, rare in logs). */
    private static long text(String s) {
        return s == null ? 0 : 40 + s.length();
    }

    /** Estimated bytes of the gathers held for sharing. */
    public long heldBytes() {
        synchronized (byApp) {
            return heldBytes;
        }
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

    private static final class Entry {
        private final Instant firedAt;
        private final Instant startedAt;
        private final CompletableFuture<GatheredEvidence> result;
        /** Estimated bytes once finished and counted in {@link #heldBytes}, else 0; guarded by {@link #byApp}. */
        long bytes;

        Entry(Instant firedAt, Instant startedAt, CompletableFuture<GatheredEvidence> result) {
            this.firedAt = firedAt;
            this.startedAt = startedAt;
            this.result = result;
        }

        Instant firedAt() {
            return firedAt;
        }

        Instant startedAt() {
            return startedAt;
        }

        CompletableFuture<GatheredEvidence> result() {
            return result;
        }

        boolean isStale(Instant now, Duration reuseFor) {
            return result.isDone() && startedAt.plus(reuseFor).isBefore(now);
        }
    }
}
