package io.oomresponder.pipeline;

import io.oomresponder.note.NoteContext;
import io.oomresponder.store.Incident;
import io.oomresponder.store.IncidentDecision;

import java.util.Map;

/** Turns the store's decision about an incident into what the note says about its thread. */
final class IncidentNotes {

    private IncidentNotes() {
    }

    static NoteContext context(IncidentDecision decision) {
        Incident incident = decision.incident();
        String recurrence = decision.recurrence() != null && decision.recurrence().recurring()
                ? decision.recurrence().describe() : null;
        String previous = incident.noteReferences().values().stream().findFirst().orElse(null);
        var kind = decision.noteKind().orElseThrow();
        return new NoteContext(kind, incident.id(), false, recurrence, null,
                kind == io.oomresponder.note.RenderedNote.Kind.RESOLUTION ? incident.timeToResolve() : null,
                previous, null, Map.of());
    }
}
