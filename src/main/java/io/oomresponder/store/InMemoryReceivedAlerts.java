package io.oomresponder.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link ReceivedAlerts} in one process: lost on exit; entries older than a day are dropped as new ones come. */
public final class InMemoryReceivedAlerts implements ReceivedAlerts {

    /** Longer than any reconcile window, so the map stays bounded in a long-running {@code serve}. */
    static final Duration RETENTION = Duration.ofDays(1);

    private final Map<String, ReceivedAlert> byKey = new LinkedHashMap<>();

    @Override
    public synchronized void record(ReceivedAlert alert) {
        byKey.putIfAbsent(alert.dedupeKey(), alert);
        Instant horizon = alert.receivedAt().minus(RETENTION);
        for (Iterator<ReceivedAlert> it = byKey.values().iterator(); it.hasNext(); ) {
            if (it.next().receivedAt().isBefore(horizon)) {
                it.remove();
            } else {
                break;
            }
        }
    }

    @Override
    public synchronized List<ReceivedAlert> since(Instant from, Instant now) {
        List<ReceivedAlert> out = new ArrayList<>();
        for (ReceivedAlert a : byKey.values()) {
            if (!a.receivedAt().isBefore(from)) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public synchronized int sweep(Instant before) {
        int n = 0;
        for (Iterator<ReceivedAlert> it = byKey.values().iterator(); it.hasNext() && n < StoreRetention.MAX_DELETES_PER_SWEEP; ) {
            if (it.next().receivedAt().isBefore(before)) {
                it.remove();
                n++;
            }
        }
        return n;
    }

    @Override
    public String mode() {
        return "memory";
    }
}
