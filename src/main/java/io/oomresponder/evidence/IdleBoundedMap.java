package io.oomresponder.evidence;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A small thread-safe cache for a long-running process ({@code serve}): at most {@code maxEntries},
 * least recently used first out, and entries unused for {@code idle} are dropped. Used for the
 * per-subscription ARM clients and the per-app lookups of the evidence source, which otherwise grow
 * with every subscription and app ever seen. {@link #expiringAfterWrite} makes one whose entries
 * live a bounded time from when they were put, however often they are read (for facts that can
 * change, such as where an environment sends its logs).
 */
public final class IdleBoundedMap<K, V> {

    private record Entry<V>(V value, long usedAt) {
    }

    private final int maxEntries;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    /** False: a read does not renew an entry (its lifetime runs from the put). */
    private final boolean renewOnRead;
    private final LinkedHashMap<K, Entry<V>> map;

    public IdleBoundedMap(int maxEntries, Duration idle) {
        this(maxEntries, idle, System::nanoTime);
    }

    /** @param nanoTime the time source (tests pass a fake one) */
    public IdleBoundedMap(int maxEntries, Duration idle, LongSupplier nanoTime) {
        this(maxEntries, idle, nanoTime, true);
    }

    /**
     * A cache whose entries are dropped {@code lifetime} after they were put, even when read often;
     * at most {@code maxEntries}, oldest first out.
     */
    public static <K, V> IdleBoundedMap<K, V> expiringAfterWrite(int maxEntries, Duration lifetime, LongSupplier nanoTime) {
        return new IdleBoundedMap<>(maxEntries, lifetime, nanoTime, false);
    }

    private IdleBoundedMap(int maxEntries, Duration idle, LongSupplier nanoTime, boolean renewOnRead) {
        this.renewOnRead = renewOnRead;
        // Access order when reads renew (least recently used first), insertion order otherwise (oldest put first).
        this.map = new LinkedHashMap<>(16, 0.75f, renewOnRead);
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.idleNanos = Objects.requireNonNull(idle, "idle").toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    public synchronized V get(K key) {
        long now = nanoTime.getAsLong();
        evictIdle(now);
        Entry<V> e = map.get(key);
        if (e == null) {
            return null;
        }
        if (renewOnRead) {
            map.put(key, new Entry<>(e.value(), now));
        }
        return e.value();
    }

    public synchronized void put(K key, V value) {
        long now = nanoTime.getAsLong();
        Objects.requireNonNull(value, "value");
        map.remove(key); // a put is the newest entry in either order
        map.put(key, new Entry<>(value, now));
        evictIdle(now);
        while (map.size() > maxEntries) {
            Iterator<K> eldest = map.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** The value, made by {@code make} when absent (under the lock: keep {@code make} cheap). */
    public synchronized V computeIfAbsent(K key, Function<K, V> make) {
        V v = get(key);
        if (v == null) {
            v = make.apply(key);
            put(key, v);
        }
        return v;
    }

    public synchronized void remove(K key) {
        map.remove(key);
    }

    public synchronized int size() {
        return map.size();
    }

    /** The front is the least recently used (or the oldest put): drop from there while stale. */
    private void evictIdle(long now) {
        for (Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().usedAt() <= idleNanos) {
                return;
            }
            it.remove();
        }
    }
}
