package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.delivery.NoteDelivery;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.note.RenderedNote;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import io.oomresponder.delivery.pagerduty.PagerDutyNotifier;
import java.util.function.BiFunction;

/**
 * The configured sinks and the rule that picks the ones a note goes to (by resource group or app
 * tag).
 */
public final class SinkRoutes {

    private final List<Notifier> all;
    private final BiFunction<RenderedNote, AppConfig, List<Notifier>> route;

    public SinkRoutes(List<Notifier> all, BiFunction<RenderedNote, AppConfig, List<Notifier>> route) {
        this.all = List.copyOf(all);
        this.route = Objects.requireNonNull(route, "route");
    }

    /** Every note goes to every one of these sinks. */
    public static SinkRoutes toAll(List<Notifier> sinks) {
        List<Notifier> copy = List.copyOf(sinks);
        return new SinkRoutes(copy, (note, app) -> copy);
    }

    /** The sinks configured in settings (each retrying on its own), routed by DELIVERY_ROUTES. */
    public static SinkRoutes fromSettings(Settings settings, Clock clock) {
        NoteDelivery delivery = NoteDelivery.fromSettings(settings, clock, System.out);
        return new SinkRoutes(List.copyOf(delivery.notifiers().values()), (note, app) -> delivery.notifiersFor(note));
    }

    /** Every configured sink, by name (redelivery looks them up). */
    public List<Notifier> all() {
        return all;
    }

    /** Sinks that wake someone up; a replayed note reaches them only when the request names them. */
    public static final Set<String> PAGING_SINKS = Set.of(PagerDutyNotifier.NAME);

    /**
     * The sinks a replayed note goes to: the named configured ones when {@code named} is not empty,
     * else the routed ones without {@link #PAGING_SINKS}. A replay must not page on-call unless a
     * person asked for exactly that.
     *
     * @throws IllegalArgumentException when a named sink is not configured
     */
    public List<Notifier> forReplay(RenderedNote note, AppConfig app, Set<String> named) {
        if (named.isEmpty()) {
            return forNote(note, app).stream().filter(n -> !PAGING_SINKS.contains(n.name())).toList();
        }
        List<Notifier> chosen = all.stream().filter(n -> named.contains(n.name())).toList();
        if (chosen.size() != named.size()) {
            throw new IllegalArgumentException("sinks names a sink that is not configured; configured: "
                    + all.stream().map(Notifier::name).toList());
        }
        return chosen;
    }

    /** The sinks this note goes to. */
    public List<Notifier> forNote(RenderedNote note, AppConfig app) {
        return route.apply(note, app);
    }

}
