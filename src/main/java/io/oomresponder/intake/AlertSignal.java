package io.oomresponder.intake;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One alert, normalised from whatever shape it arrived in (metric alert, log search alert,
 * Event Grid envelope, replay). It is also the {@code alert} object of an evidence bundle: the
 * first eight fields are the bundle format's; the rest are extras that tolerant readers ignore.
 *
 * @param id               Azure alert instance id ({@code essentials.alertId}); same on Fired and Resolved
 * @param rule             alert rule name
 * @param signal           what the rule watches
 * @param condition        Fired or Resolved
 * @param firedAt          when the alert fired (UTC)
 * @param resolvedAt       when it resolved, or null
 * @param targetResourceId the container app's ARM id
 * @param raw              the original payload, or null
 * @param severity         Sev0..Sev4, or null
 * @param metricValue      the value that breached (metric alerts), or null
 * @param threshold        the threshold as Azure wrote it (a string), or null
 * @param query            the log search query (log alerts), or null
 * @param dimensions       dimension values that fired (e.g. revisionName, podName)
 * @param windowStart      start of the rule's evaluation window, or null
 * @param windowEnd        end of the rule's evaluation window, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertSignal(
        String id,
        String rule,
        Signal signal,
        Condition condition,
        Instant firedAt,
        Instant resolvedAt,
        String targetResourceId,
        JsonNode raw,
        String severity,
        Double metricValue,
        String threshold,
        String query,
        Map<String, String> dimensions,
        Instant windowStart,
        Instant windowEnd) {

    public AlertSignal {
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(firedAt, "firedAt");
        Objects.requireNonNull(targetResourceId, "targetResourceId");
        dimensions = dimensions == null ? Map.of() : Map.copyOf(dimensions);
    }

    /** The key that makes a second delivery of the same notification a duplicate. */
    public String dedupeKey() {
        return (id == null ? targetResourceId + "@" + firedAt : id) + "|" + condition;
    }

    /** The same signal without its raw payload (for queue messages and stored incidents). */
    public AlertSignal withoutRaw() {
        return new AlertSignal(id, rule, signal, condition, firedAt, resolvedAt, targetResourceId, null,
                severity, metricValue, threshold, query, dimensions, windowStart, windowEnd);
    }

    /** What the alert rule watches, in the evidence bundle's words. */
    public enum Signal { RestartCount, WorkingSetBytes, MemoryPercentage, OOMKilledLog, Other }

    /** Whether the alert fired or resolved. */
    public enum Condition { Fired, Resolved }
}
