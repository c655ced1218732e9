package io.oomresponder.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Objects;

/**
 * An action for the reader: what kind of action it is, a short title, why, and the exact command
 * where one exists. The kind orders the note's "Do next": what the person on call can do now comes
 * first, then the fix for the owning team, then what to check and what to add to see it earlier.
 *
 * @param kind    {@link Kind#NOW}, {@link Kind#FIX}, {@link Kind#CHECK} or {@link Kind#PREVENT}
 * @param title   the action in a few words
 * @param detail  why, with the figures it rests on, or null
 * @param command a copyable command, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Recommendation(Kind kind, String title, String detail, String command) {

    public Recommendation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(title, "title");
    }

    /** An action to check something (the kind of actions written before kinds existed). */
    public Recommendation(String title, String detail, String command) {
        this(Kind.CHECK, title, detail, command);
    }

    /** Who acts and when. */
    public enum Kind {
        /** The person on call can do it now; it buys time or stops the harm, it does not remove the cause. */
        NOW("Now"),
        /** The fix of the cause, for the team that owns the app. */
        FIX("Fix (owning team)"),
        /** Something to look at to find or confirm the cause. */
        CHECK("Check"),
        /** Something to add so the next occurrence is seen earlier. */
        PREVENT("Prevent");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The label the note shows before the action, e.g. "Now" or "Fix (owning team)". */
        public String label() {
            return label;
        }
    }
}
