package io.oomresponder.note;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the pipeline knows about a note beyond the evidence and the diagnosis: its place in the
 * incident thread and where its chart can be seen.
 *
 * @param kind              a new incident, an update of an open one, or its resolution
 * @param incidentId        the incident this note belongs to, or null
 * @param replay            true when a person replayed a past alert (the note says so)
 * @param recurrence        e.g. "3rd memory incident for this app in 7 days; last verdict ...", or null
 * @param chartUrl          a public URL of the chart PNG (blob with SAS, incident page), or null: the
 *                          card shows the image only then, never inline base64
 * @param timeToResolve     how long the incident was open (resolution notes), or null
 * @param previousNote      a reference to the first note of the incident (updates), e.g. a ticket key, or null
 * @param logQuery          the KQL behind the evidence, or null for the default system-log query
 * @param appTags           the app's Azure tags, for routing (may be empty)
 */
public record NoteContext(
        RenderedNote.Kind kind,
        String incidentId,
        boolean replay,
        String recurrence,
        String chartUrl,
        Duration timeToResolve,
        String previousNote,
        String logQuery,
        Map<String, String> appTags) {

    public NoteContext {
        Objects.requireNonNull(kind, "kind");
        appTags = appTags == null ? Map.of() : Map.copyOf(appTags);
    }

    /** A first note with nothing else known. */
    public static NoteContext newIncident() {
        return new NoteContext(RenderedNote.Kind.NEW_INCIDENT, null, false, null, null, null, null, null, Map.of());
    }

    public NoteContext withKind(RenderedNote.Kind newKind) {
        return new NoteContext(newKind, incidentId, replay, recurrence, chartUrl, timeToResolve, previousNote, logQuery, appTags);
    }

    public NoteContext withChartUrl(String url) {
        return new NoteContext(kind, incidentId, replay, recurrence, url, timeToResolve, previousNote, logQuery, appTags);
    }

    public NoteContext withRecurrence(String line) {
        return new NoteContext(kind, incidentId, replay, line, chartUrl, timeToResolve, previousNote, logQuery, appTags);
    }

    public NoteContext withReplay(boolean isReplay) {
        return new NoteContext(kind, incidentId, isReplay, recurrence, chartUrl, timeToResolve, previousNote, logQuery, appTags);
    }

    public NoteContext withTimeToResolve(Duration d) {
        return new NoteContext(kind, incidentId, replay, recurrence, chartUrl, d, previousNote, logQuery, appTags);
    }

    public NoteContext withPreviousNote(String reference) {
        return new NoteContext(kind, incidentId, replay, recurrence, chartUrl, timeToResolve, reference, logQuery, appTags);
    }

    public NoteContext withIncidentId(String id) {
        return new NoteContext(kind, id, replay, recurrence, chartUrl, timeToResolve, previousNote, logQuery, appTags);
    }
}
