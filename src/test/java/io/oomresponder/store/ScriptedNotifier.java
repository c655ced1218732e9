package io.oomresponder.store;

import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.note.RenderedNote;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A sink for tests: fails its first {@code failures} sends (a sink outage), then takes every note
 * and returns a reference. It stands in for our own {@link Notifier} interface; the real sinks are
 * tested in the delivery packages.
 */
final class ScriptedNotifier implements Notifier {

    private final String name;
    private final int failures;
    private final boolean retryable;
    private final AtomicInteger attempts = new AtomicInteger();
    private final List<RenderedNote> delivered = new ArrayList<>();

    ScriptedNotifier(String name, int failures, boolean retryable) {
        this.name = name;
        this.failures = failures;
        this.retryable = retryable;
    }

    static ScriptedNotifier working(String name) {
        return new ScriptedNotifier(name, 0, true);
    }

    static ScriptedNotifier down(String name) {
        return new ScriptedNotifier(name, Integer.MAX_VALUE, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Receipt send(RenderedNote note) {
        int attempt = attempts.incrementAndGet();
        if (attempt <= failures) {
            throw new DeliveryException(name, retryable ? DeliveryException.Reason.SERVER_ERROR : DeliveryException.Reason.CLIENT_ERROR,
                    retryable, name + " answered " + (retryable ? 503 : 400) + " for alert " + note.alertId());
        }
        synchronized (delivered) {
            delivered.add(note);
            return new Receipt(name, name + "-ref-" + delivered.size());
        }
    }

    int attempts() {
        return attempts.get();
    }

    List<RenderedNote> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }
}
