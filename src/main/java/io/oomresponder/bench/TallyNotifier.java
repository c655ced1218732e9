package io.oomresponder.bench;

import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.note.RenderedNote;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A sink for benchmarks: counts the notes it takes, per app and in all, and keeps nothing else,
 * so a long run measures the responder's memory rather than the sink's.
 */
public final class TallyNotifier implements Notifier {

    private final AtomicLong notes = new AtomicLong();
    private final Map<String, AtomicLong> perApp = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "tally";
    }

    @Override
    public Receipt send(RenderedNote note) {
        long n = notes.incrementAndGet();
        String app = note.appResourceId() == null ? "?" : note.appResourceId().toLowerCase(java.util.Locale.ROOT);
        perApp.computeIfAbsent(app, k -> new AtomicLong()).incrementAndGet();
        return new Receipt(name(), "tally-" + n);
    }

    /** Notes taken so far, over all apps. */
    public long notes() {
        return notes.get();
    }

    /** Notes per app (app resource id in lower case). */
    Map<String, Long> perApp() {
        Map<String, Long> out = new java.util.TreeMap<>();
        perApp.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
