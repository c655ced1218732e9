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
 * with every subscription and app ever seen.
 */
public final class IdleBoundedMap<K, V> {

    private record Entry<V>(V value, long usedAt) {
    }

    private final int maxEntries;
    private final long idleNanos;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>(16, 0.75f, true);

    public IdleBoundedMap(int maxEntries, Duration idle) {
        this(maxEntries, idle, System::nanoTime);
    }

    /** @param nanoTime the time source (tests pass a fake one) */
    public IdleBoundedMap(int maxEntries, Duration idle, LongSupplier nanoTime) {
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
        map.put(key, new Entry<>(e.value(), now));
        return e.value();
    }

    public synchronized void put(K key, V value) {
        long now = nanoTime.getAsLong();
        map.put(key, new Entry<>(Objects.requireNonNull(value, "value"), now));
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

    /** Access order puts the least recently used first: drop from the front while idle. */
    private void evictIdle(long now) {
        for (Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator(); it.hasNext(); ) {
            if (now - it.next().getValue().usedAt() <= idleNanos) {
                return;
            }
            it.remove();
        }
    }
}
