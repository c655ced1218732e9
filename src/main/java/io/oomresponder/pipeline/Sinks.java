package io.oomresponder.pipeline;

import io.oomresponder.delivery.Notifier;

import java.util.List;

/** Builds the configured sinks from settings. */
final class Sinks {

    private Sinks() {
    }

    static SinkRoutes fromSettings(Settings settings) {
        // Filled in when the delivery package lands: Teams, tickets, webhook, Event Grid, file.
        List<Notifier> none = List.of();
        return SinkRoutes.toAll(none);
    }
}
