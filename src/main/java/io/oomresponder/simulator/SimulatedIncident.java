package io.oomresponder.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.evidence.EvidenceBundle;

import java.util.Objects;

/**
 * One simulated incident: the complete evidence the model holds ({@code truth}), the Azure Monitor
 * common-alert-schema payload that would have fired for it, and the label it was built to have.
 *
 * @param scenario     scenario name, {@code family/variant}
 * @param seed         the seed it was generated from; the same seed gives the same incident
 * @param truth        everything an ideal collector would gather; {@code truth.alert()} is the normalised payload
 * @param alertPayload the notification Azure Monitor would POST to an action group
 * @param label        the expected verdict and cause
 */
public record SimulatedIncident(String scenario, long seed, EvidenceBundle truth, JsonNode alertPayload, Label label) {

    public SimulatedIncident {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(truth, "truth");
        Objects.requireNonNull(alertPayload, "alertPayload");
        Objects.requireNonNull(label, "label");
    }
}
