package io.oomresponder.pipeline;

import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.note.RenderedNote;

import java.util.List;
import java.util.Objects;
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

    /** Every configured sink, by name (redelivery looks them up). */
    public List<Notifier> all() {
        return all;
    }

    /** The sinks this note goes to. */
    public List<Notifier> forNote(RenderedNote note, AppConfig app) {
        return route.apply(note, app);
    }

}
