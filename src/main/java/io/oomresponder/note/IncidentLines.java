package io.oomresponder.note;

import io.oomresponder.diagnosis.IncidentState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two lines an on-call reader asks for first, worded from {@link IncidentState}: "Still
 * happening?" (the last samples; a resolved alert says so in the same place) and "User impact"
 * (the 5xx share before and during the restarts, and requests missed while replicas restarted).
 * Whatever was not measured says "not measured", never 0.
 */
final class IncidentLines {

    /** The fact label of the "still happening?" line. */
    static final String STILL_HAPPENING = "Still happening?";
    /** The fact label of the impact line. */
    static final String USER_IMPACT = "User impact";

    private IncidentLines() {
    }

    /** "Yes: the working set is 96% of the limit at 03:02 UTC, last restart 4 min before it, 2 replicas still growing". */
    static String stillHappening(IncidentState.Now now, NoteContext context, Instant reference) {
        String state = lastSamples(now, reference);
        if (context.kind() == RenderedNote.Kind.RESOLUTION) {
            return "Resolved: the alert resolved" + (context.timeToResolve() == null ? "" : " after " + Quantities.duration(context.timeToResolve()))
                    + (state == null ? "" : "; at the last sample " + state);
        }
        Boolean still = now.stillHappening();
        if (still == null) {
            return "Unknown: no working-set sample at the end of the window"
                    + (now.lastRestart() == null ? "" : "; last restart " + Quantities.clock(now.lastRestart(), reference));
        }
        return (still ? "Yes: " : "Not at the last sample: ") + state;
    }

    private static String lastSamples(IncidentState.Now now, Instant reference) {
        if (now.lastSample() == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        parts.add(now.workingSetToLimit() == null ? "the working set against the limit is unknown"
                : "the working set is " + Quantities.percentAgainst(now.workingSetToLimit(), IncidentState.STILL_NEAR_LIMIT)
                + " of the limit at " + Quantities.clock(now.lastSample(), reference));
        Long since = now.minutesSinceLastRestart();
        if (since != null) {
            parts.add("last restart " + Quantities.duration(Duration.ofMinutes(since)) + " before it");
        } else {
            parts.add(now.restartsKnown() ? "no restart in the window" : "restarts unknown");
        }
        if (now.replicasGrowing() != null) {
            parts.add(now.replicasGrowing() == 0 ? "no replica growing" : now.replicasGrowing()
                    + (now.replicasGrowing() == 1 ? " replica" : " replicas") + " still growing toward the limit");
        }
        return String.join(", ", parts);
    }

    /** "5xx 0.2% of requests before the first restart, 14% in the 45 min of restarts; about 1,240 requests (12%) fewer served while replicas restarted". */
    static String userImpact(IncidentState.Impact impact, Integer restarts) {
        if (!impact.statusSplitMeasured() && impact.requestsExpected() == null && (restarts == null || restarts > 0)) {
            return "not measured (no Requests metric" + (restarts == null ? "" : " around the restarts") + ")";
        }
        List<String> parts = new ArrayList<>();
        if (restarts != null && restarts == 0) {
            parts.add(impact.statusSplitMeasured() && impact.serverErrorShareBefore() != null
                    ? "5xx " + share(impact.serverErrorShareBefore()) + " of requests in the window"
                    : "5xx share not measured (Requests not split by status)");
            parts.add("no restart dropped traffic");
            return String.join("; ", parts);
        }
        if (!impact.statusSplitMeasured()) {
            parts.add("5xx share not measured (Requests not split by status)");
        } else {
            String before = impact.serverErrorShareBefore() == null ? "not measured before the first restart"
                    : share(impact.serverErrorShareBefore()) + " of requests before the first restart";
            String during = impact.serverErrorShareDuring() == null ? "not measured in the minutes of restarts"
                    : share(impact.serverErrorShareDuring()) + " in the " + impact.restartMinutes() + " min of restarts";
            parts.add("5xx " + before + ", " + during);
        }
        if (impact.requestsExpected() == null) {
            parts.add("dropped traffic not measured");
        } else if (impact.requestsMissed() < 0.5) {
            parts.add("no drop in served requests while replicas restarted");
        } else {
            double pct = impact.requestsExpected() > 0 ? impact.requestsMissed() / impact.requestsExpected() : Double.NaN;
            parts.add(String.format(Locale.ROOT, "about %,d requests%s fewer served while replicas restarted",
                    Math.round(impact.requestsMissed()), Double.isNaN(pct) ? "" : " (" + share(pct) + ")"));
        }
        return String.join("; ", parts);
    }

    /** A share with one decimal below 10%, whole percent above: "0.4%", "14%". */
    private static String share(double v) {
        return v < 0.1 ? String.format(Locale.ROOT, "%.1f%%", v * 100) : Quantities.percent(v);
    }
}
