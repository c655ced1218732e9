package io.oomresponder.store;

import io.oomresponder.note.RenderedNote;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store decided for one alert, with the incident as it is after the decision.
 *
 * @param action     what to do: post a new incident, an update, nothing, a resolution
 * @param incident   the incident after the decision; null only for {@link Action#IGNORE}
 * @param changes    for an update, the material changes in plain words ("verdict PEAK_DEMAND → LEAK_SUSPECTED");
 *                   for a quiet update, why nothing is posted; empty otherwise
 * @param recurrence the app's earlier incidents within the recurrence window; null only for {@link Action#IGNORE}
 * @param repeat     true when this alert had already been recorded (a redelivery after a crash or a lost
 *                   claim): nothing was written, and {@code action} is what was decided the first time, so the
 *                   caller sends the same note again (sinks are idempotent by alert id)
 */
public record IncidentDecision(
        Action action,
        Incident incident,
        List<String> changes,
        Recurrence recurrence,
        boolean repeat) {

    public IncidentDecision {
        Objects.requireNonNull(action, "action");
        if (incident == null && action != Action.IGNORE) {
            throw new IllegalArgumentException("incident is required for " + action);
        }
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /** The decisions of {@link IncidentPolicy}. */
    public enum Action {
        /** No open incident for the app: open one and post a new note. */
        NEW_INCIDENT,
        /** The open incident changed materially: post an update that refers to the first note. */
        UPDATE,
        /** Recorded in the open incident, nothing material changed: post nothing. */
        QUIET_UPDATE,
        /** The incident's last firing alert resolved: close it and post a resolution with the time to resolve. */
        RESOLVE,
        /** A Resolved alert that no open incident knows: nothing recorded, nothing posted. */
        IGNORE
    }

    /** The kind of note to render and send, or empty when nothing is posted. */
    public Optional<RenderedNote.Kind> noteKind() {
        return switch (action) {
            case NEW_INCIDENT -> Optional.of(RenderedNote.Kind.NEW_INCIDENT);
            case UPDATE -> Optional.of(RenderedNote.Kind.UPDATE);
            case RESOLVE -> Optional.of(RenderedNote.Kind.RESOLUTION);
            case QUIET_UPDATE, IGNORE -> Optional.empty();
        };
    }

    /** Whether a note is to be posted. */
    public boolean postsNote() {
        return noteKind().isPresent();
    }

    IncidentDecision withIncident(Incident stored) {
        return new IncidentDecision(action, stored, changes, recurrence, repeat);
    }
}
