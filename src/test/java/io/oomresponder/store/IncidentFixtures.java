package io.oomresponder.store;

import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;

import java.time.Instant;
import java.util.Map;

/** Alerts, diagnoses and notes for the store's tests. */
final class IncidentFixtures {

    static final String APP = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-shop/providers/Microsoft.App/containerApps/orders-api";
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    private IncidentFixtures() {
    }

    static String alertId(String suffix) {
        return "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.AlertsManagement/alerts/" + suffix;
    }

    static AlertSignal fired(String app, String id, Instant firedAt) {
        return new AlertSignal(alertId(id), "orders-api restarts", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Fired,
                firedAt, null, app, null, "Sev2", 5.0, "3", null, Map.of(), firedAt.minusSeconds(900), firedAt);
    }

    static AlertSignal fired(String id, Instant firedAt) {
        return fired(APP, id, firedAt);
    }

    static AlertSignal resolved(String app, String id, Instant firedAt, Instant resolvedAt) {
        return new AlertSignal(alertId(id), "orders-api restarts", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Resolved,
                firedAt, resolvedAt, app, null, "Sev2", 0.0, "3", null, Map.of(), resolvedAt.minusSeconds(900), resolvedAt);
    }

    static AlertSignal resolved(String id, Instant firedAt, Instant resolvedAt) {
        return resolved(APP, id, firedAt, resolvedAt);
    }

    static Diagnosis diagnosis(Diagnosis.Verdict verdict, Integer restarts, Instant projectedOom) {
        Figures figures = new Figures(536_870_912L, 520_000_000.0, 0.97, 12, 40_000_000.0, 0.9, 0.1,
                restarts, restarts, 0, restarts, 2, 5, projectedOom, projectedOom == null ? null : projectedOom.plusSeconds(3600), null, null);
        return new Diagnosis(verdict, java.util.List.of("A", "B", "C"), 0.8, java.util.List.of(), figures,
                java.util.List.of(), java.util.List.of(), java.util.List.of());
    }

    static Diagnosis leak(int restarts) {
        return diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, restarts, null);
    }

    static RenderedNote note(IncidentDecision decision, AlertSignal alert) {
        return new RenderedNote(alert.id(), alert.dedupeKey(), decision.incident().id(), decision.noteKind().orElseThrow(), false,
                alert.targetResourceId(), alert.severity(), decision.action() + " " + decision.incident().id(),
                null, "**" + decision.action() + "**", "<b>" + decision.action() + "</b>", decision.action().toString(), null, null);
    }
}
