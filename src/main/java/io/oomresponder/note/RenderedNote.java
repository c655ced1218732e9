package io.oomresponder.note;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One incident note, rendered for every kind of sink. It is plain data (JSON-serialisable) so an
 * undelivered note can be stored and redelivered after a restart.
 *
 * @param alertId       Azure alert id: the idempotency key of every sink
 * @param dedupeKey     alertId|condition
 * @param incidentId    the incident this note belongs to (several alerts may share one)
 * @param kind          a new incident, an update of an open one, or its resolution
 * @param replay        true when a person replayed a past alert
 * @param appResourceId the container app
 * @param severity      Sev0..Sev4 or null
 * @param title         one-line headline (verdict in plain words, app)
 * @param card          the Teams Adaptive Card (the {@code content} object, version 1.4), under 28 KB
 * @param markdown      Markdown for tickets and terminals
 * @param html          HTML for ticket systems that want it
 * @param text          plain text for the CLI
 * @param chartPng      the chart, or null
 * @param summary       the note as structured data (verdict, figures, path) for machine sinks
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RenderedNote(
        String alertId,
        String dedupeKey,
        String incidentId,
        Kind kind,
        boolean replay,
        String appResourceId,
        String severity,
        String title,
        JsonNode card,
        String markdown,
        String html,
        String text,
        byte[] chartPng,
        JsonNode summary) {

    public RenderedNote {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
    }

    /** What the note does to the incident thread. */
    public enum Kind { NEW_INCIDENT, UPDATE, RESOLUTION }
}
