package io.oomresponder.store;

import io.oomresponder.diagnosis.Diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How often this app has had a memory incident lately, for the note's recurrence line
 * ("3rd memory incident for this app in 7 days; last verdict LEAK_SUSPECTED on revision orders-api--v7").
 *
 * @param ordinal            this incident's place among the app's incidents opened within the window (1 = first)
 * @param window             the look-back window (INCIDENT_RECURRENCE_WINDOW)
 * @param previousIncidentId the most recent earlier incident in the window, or null
 * @param previousOpenedAt   when it opened, or null
 * @param previousVerdict    its latest verdict, or null
 * @param previousRevision   the revision of that verdict, or null
 */
public record Recurrence(
        int ordinal,
        Duration window,
        String previousIncidentId,
        Instant previousOpenedAt,
        Diagnosis.Verdict previousVerdict,
        String previousRevision) {

    public Recurrence {
        Objects.requireNonNull(window, "window");
        if (ordinal < 1) {
            throw new IllegalArgumentException("ordinal must be >= 1, was " + ordinal);
        }
    }

    /** Whether an earlier incident of the app falls in the window. */
    public boolean recurring() {
        return ordinal > 1;
    }

    /** One plain sentence, e.g. "3rd memory incident for this app in 7 days; last verdict LEAK_SUSPECTED on revision r7". */
    public String describe() {
        StringBuilder s = new StringBuilder()
                .append(ordinalWord(ordinal)).append(" memory incident for this app in ").append(windowWords(window));
        if (previousVerdict != null) {
            s.append("; last verdict ").append(previousVerdict.name());
            if (previousRevision != null) {
                s.append(" on revision ").append(previousRevision);
            }
        }
        return s.toString();
    }

    static String ordinalWord(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    private static String windowWords(Duration window) {
        if (window.toHours() % 24 == 0 && window.toDays() > 0) {
            long days = window.toDays();
            return days == 1 ? "1 day" : days + " days";
        }
        long hours = window.toHours();
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
