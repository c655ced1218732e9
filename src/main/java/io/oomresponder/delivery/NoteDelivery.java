package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sends a note to the sinks its routing picks, each wrapped in the one {@link RetryingNotifier}.
 * A sink that still fails is returned in the {@link DeliveryOutcome} (never swallowed) so the
 * caller can store the note for redelivery to exactly that sink ({@link #deliverTo}).
 */
public final class NoteDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(NoteDelivery.class);

    private final Map<String, Notifier> sinks;
    private final SinkRouting routing;

    /** @param sinks notifiers by name, already wrapped for retry (or not, in tests) */
    public NoteDelivery(Map<String, Notifier> sinks, SinkRouting routing) {
        this.sinks = Map.copyOf(sinks);
        this.routing = Objects.requireNonNull(routing, "routing");
    }

    /** The configured sinks with retry (DELIVERY_MAX_ATTEMPTS, ...) and routing (DELIVERY_ROUTES). */
    public static NoteDelivery fromSettings(Settings settings, Clock clock, PrintStream stdout) {
        RetryPolicy policy = RetryPolicy.from(settings);
        Map<String, Notifier> wrapped = new LinkedHashMap<>();
        Sinks.fromSettings(settings, clock, stdout).forEach((name, sink) -> wrapped.put(name, RetryingNotifier.of(sink, policy)));
        SinkRouting routing = SinkRouting.parse(settings.get(SinkRouting.SETTING).orElse(null), wrapped.keySet());
        LOG.info("delivery sinks configured: {}; routes: {}", wrapped.keySet(), routing.rules().size());
        return new NoteDelivery(wrapped, routing);
    }

    public Set<String> sinkNames() {
        return sinks.keySet();
    }

    /** The configured notifiers by name, as built (retry-wrapped by {@link #fromSettings}). */
    public Map<String, Notifier> notifiers() {
        return sinks;
    }

    /** The notifiers this note goes to, in routing order. */
    public List<Notifier> notifiersFor(RenderedNote note) {
        return route(note).stream().map(sinks::get).toList();
    }

    /** The sink names this note goes to. */
    public List<String> route(RenderedNote note) {
        return routing.sinksFor(note).stream().filter(sinks::containsKey).toList();
    }

    /** Sends to every routed sink; one sink's failure does not stop the others. */
    public DeliveryOutcome deliver(RenderedNote note) {
        List<Receipt> delivered = new ArrayList<>();
        List<DeliveryException> failed = new ArrayList<>();
        for (String name : route(note)) {
            try {
                delivered.add(deliverTo(name, note));
            } catch (DeliveryException e) {
                LOG.warn("note for alert {} not delivered to {}: {} ({})", note.alertId(), name, e.getMessage(), e.reason());
                failed.add(e);
            } catch (RuntimeException e) {
                // A bug in a sink must not lose the note: it becomes a retryable failure of that sink.
                LOG.warn("sink {} failed unexpectedly for alert {}: {}", name, note.alertId(), e.getClass().getSimpleName());
                failed.add(new DeliveryException(name, DeliveryException.Reason.OTHER, true, null,
                        "sink " + name + " failed unexpectedly for alert " + note.alertId() + " (" + e.getClass().getSimpleName() + ")", e));
            }
        }
        return new DeliveryOutcome(delivered, failed);
    }

    /**
     * Sends to one sink (redelivery).
     *
     * @throws DeliveryException when it fails after retries, or the sink is not configured (not retryable)
     */
    public Receipt deliverTo(String sink, RenderedNote note) {
        Notifier notifier = sinks.get(sink);
        if (notifier == null) {
            throw new DeliveryException(sink, DeliveryException.Reason.CONFIGURATION, false,
                    "sink " + sink + " is not configured; note for alert " + note.alertId() + " cannot go there");
        }
        return notifier.send(note);
    }
}
