package io.oomresponder.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.intake.AlertSignal;

/** An alert notification as Azure Monitor would POST it, and its normalised form. */
record SimulatedAlert(JsonNode payload, AlertSignal signal) {
}
