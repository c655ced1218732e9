package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.delivery.ChartPublisher;
import io.oomresponder.evidence.CoalescingEvidenceSource;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;

import java.time.Clock;

/** The production parts of a {@link Responder}, built once from settings. */
record Wiring(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
              Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake, java.time.Duration handlerBudget,
              ChartPublisher charts, OperatorChannel operator) {

    /** Production: Azure evidence shared within a storm, the configured store. */
    static Wiring fromSettings(Settings settings, Clock clock) {
        EvidenceSource evidence = new CoalescingEvidenceSource(AzureEvidenceSource.fromSettings(settings, clock), clock);
        return of(settings, evidence, IncidentStore.fromSettings(settings), clock);
    }

    /** This evidence source and store; sinks, redelivery and intake from settings. */
    static Wiring of(Settings settings, EvidenceSource evidence, IncidentStore store, Clock clock) {
        String mode = store instanceof InMemoryIncidentStore ? "memory" : "azure-table";
        SinkRoutes sinks = SinkRoutes.fromSettings(settings, clock);
        OperatorChannel operator = OperatorChannel.fromSettings(settings, clock);
        // The operator's notifier only for redelivering its own reports: it is no incident sink (not in sinks.all()).
        java.util.List<io.oomresponder.delivery.Notifier> redeliverable = new java.util.ArrayList<>(sinks.all());
        operator.notifier().ifPresent(redeliverable::add);
        Redelivery redelivery = new Redelivery(store, redeliverable, null, RedeliveryPolicy.fromSettings(settings), clock);
        return new Wiring(evidence, store, new NoteRenderer(), sinks, redelivery, clock, mode, AlertIntake.fromSettings(settings),
                settings.duration("ALERT_HANDLER_BUDGET", ClaimTiming.DEFAULT_HANDLER_BUDGET),
                ChartPublisher.fromSettings(settings, clock).orElse(null), operator);
    }
}
