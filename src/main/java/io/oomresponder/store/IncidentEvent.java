package io.oomresponder.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert recorded in an incident's history: what the diagnosis said at that time, compactly
 * (the bundle itself is not kept), and what the store decided to do about it.
 *
 * @param at           when the alert fired (Fired) or resolved (Resolved), by the alert's own clock
 * @param recordedAt   when the store recorded it
 * @param alertKey     short hash of the alert's dedupe key (recognises a redelivered alert)
 * @param condition    Fired or Resolved
 * @param verdict      the diagnosis verdict, or null (a Resolved alert without a diagnosis)
 * @param confidence   the diagnosis confidence 0..1, or null
 * @param revision     the container app revision the diagnosis was about, or null
 * @param restarts     restarts in the diagnosis window, or null when unknown
 * @param projectedOom earliest projected next OOM, or null
 * @param action       what the store decided for this alert
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record IncidentEvent(
        Instant at,
        Instant recordedAt,
        String alertKey,
        AlertSignal.Condition condition,
        Diagnosis.Verdict verdict,
        Double confidence,
        String revision,
        Integer restarts,
        Instant projectedOom,
        IncidentDecision.Action action) {

    public IncidentEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(alertKey, "alertKey");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(action, "action");
    }
}
