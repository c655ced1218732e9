package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import io.oomresponder.testing.MutableClock;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One simulated app behind the fake Azure, with short retry delays so that fault tests finish in
 * seconds and evidence deadlines that only a fault meant to trip them trips, and the helpers to build responders and distinct alerts for it.
 */
final class SimulatedApp implements AutoCloseable {

    /** Small enough to diagnose and chart quickly, large enough for a leak verdict. */
    static final ScenarioOverrides SMALL = new ScenarioOverrides(Duration.ofHours(6), 2);

    final SimulatedIncident incident;
    final MutableClock clock;
    final FakeAzure azure;
    final Settings settings;

    SimulatedApp(String scenario, long seed, Map<String, String> extraSettings) {
        incident = ScenarioCatalog.generate(scenario, seed, SMALL);
        clock = new MutableClock(incident.truth().alert().firedAt().plus(Duration.ofMinutes(6)));
        azure = FakeAzure.start(List.of(incident.truth()), 0, clock);
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", incident.truth().app().subscriptionId());
        // Deadlines no loaded machine comes near: a test whose fault must trip one passes its own
        // (evidence(overrides)) together with a fault that never ends by itself.
        values.put("EVIDENCE_SOURCE_TIMEOUT", "PT60S");
        values.put("EVIDENCE_CALL_TIMEOUT", "PT20S");
        values.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        values.put("EVIDENCE_RETRY_MAX_DELAY", "PT0.2S");
        values.putAll(extraSettings);
        settings = new Settings(values);
    }

    AzureEvidenceSource evidence() {
        return AzureEvidenceSource.fromSettings(settings, clock);
    }

    /** An evidence source with some settings changed (e.g. short deadlines for a hang). */
    AzureEvidenceSource evidence(Map<String, String> overrides) {
        return AzureEvidenceSource.fromSettings(settings.with(overrides), clock);
    }

    AlertIntake intake() {
        return new AlertIntake(ScopeGuard.fromSettings(settings), clock);
    }

    Responder responder(EvidenceSource evidence, IncidentStore store, List<Notifier> sinks) {
        return new Responder(evidence, store, new NoteRenderer(), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), clock), clock, "test", intake());
    }

    /** The scenario's alert as notification {@code n}: its own alert id, same app and time. */
    byte[] payload(int n) {
        ObjectNode copy = incident.alertPayload().deepCopy();
        ObjectNode essentials = (ObjectNode) copy.path("data").path("essentials");
        String id = essentials.path("alertId").asText();
        essentials.put("alertId", id.substring(0, id.lastIndexOf('/') + 1) + UUID.nameUUIDFromBytes((id + n).getBytes()));
        try {
            return Json.mapper().writeValueAsBytes(copy);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    QueuedAlert message(int n) {
        return queued(payload(n));
    }

    QueuedAlert queued(byte[] payload) {
        IntakeResult r = intake().accept(payload, Map.of("Content-Type", "application/json"));
        if (!(r instanceof IntakeResult.Accepted a)) {
            throw new IllegalStateException("not accepted: " + r);
        }
        // Through the queue's text form, as the queue trigger sees it.
        return QueuedAlert.fromJson(a.alerts().get(0).toJson());
    }

    @Override
    public void close() {
        azure.close();
    }
}
