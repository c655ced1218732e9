package io.oomresponder.store;

import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The grouping rules, as a pure function of the app's recent incidents, one alert and its
 * diagnosis. No I/O and no clock: the stores load the incidents, call {@link #decide}, and write
 * the result conditionally (retrying the whole decision when another instance wrote first).
 *
 * <ul>
 *   <li>A Fired alert joins the app's newest incident when it is open and its last alert fired at
 *       most {@code cooldown} (INCIDENT_COOLDOWN, default PT2H) before this one; otherwise it opens
 *       a new incident ({@link IncidentDecision.Action#NEW_INCIDENT}).</li>
 *   <li>A joining alert is an {@link IncidentDecision.Action#UPDATE} only when something material
 *       changed since the last posted note: the verdict; restarts up by
 *       {@link #MATERIAL_RESTART_GROWTH_RATIO} (from zero: any restart); the projected OOM moved by
 *       more than {@link #MATERIAL_PROJECTION_SHIFT}, appeared or disappeared; a revision not seen
 *       in this incident. Otherwise it is a {@link IncidentDecision.Action#QUIET_UPDATE}.</li>
 *   <li>A Resolved alert removes its alert id from the incident that holds it; when no alert of
 *       that incident is firing any more, the incident closes ({@link IncidentDecision.Action#RESOLVE},
 *       time to resolve = resolution time − first alert). A Resolved alert no open incident knows is
 *       ignored.</li>
 *   <li>An alert already in an incident's history (same alert id and condition) is a repeat:
 *       the first decision is returned again and nothing changes.</li>
 * </ul>
 * Times are the alert's own (fired / resolved), so a backlog or a replay groups the same way.
 */
public final class IncidentPolicy {

    /** How long after an incident's last alert a new alert still joins it. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofHours(2);
    /** How far back the recurrence line looks. */
    public static final Duration DEFAULT_RECURRENCE_WINDOW = Duration.ofDays(7);
    /** Restarts at or above this multiple of the last posted count are material (+50%). */
    public static final double MATERIAL_RESTART_GROWTH_RATIO = 1.5;
    /** A projected OOM time that moved by more than this is material. */
    public static final Duration MATERIAL_PROJECTION_SHIFT = Duration.ofMinutes(30);

    private final Duration cooldown;
    private final Duration recurrenceWindow;

    public IncidentPolicy(Duration cooldown, Duration recurrenceWindow) {
        this.cooldown = requirePositive(cooldown, "cooldown");
        this.recurrenceWindow = requirePositive(recurrenceWindow, "recurrenceWindow");
    }

    /** The defaults: PT2H cooldown, P7D recurrence window. */
    public static IncidentPolicy ofDefaults() {
        return new IncidentPolicy(DEFAULT_COOLDOWN, DEFAULT_RECURRENCE_WINDOW);
    }

    /** From INCIDENT_COOLDOWN and INCIDENT_RECURRENCE_WINDOW (ISO-8601 durations). */
    public static IncidentPolicy fromSettings(Settings settings) {
        return new IncidentPolicy(settings.duration("INCIDENT_COOLDOWN", DEFAULT_COOLDOWN),
                settings.duration("INCIDENT_RECURRENCE_WINDOW", DEFAULT_RECURRENCE_WINDOW));
    }

    public Duration cooldown() {
        return cooldown;
    }

    public Duration recurrenceWindow() {
        return recurrenceWindow;
    }

    /**
     * Decides what one alert does to the app's incidents.
     *
     * @param recent    the app's incidents, at least the newest one and all opened within the recurrence
     *                  window (any order)
     * @param alert     the alert
     * @param diagnosis its diagnosis; required for Fired, may be null for Resolved
     * @param revision  the app's current revision (the bundle's {@code app.latestRevision}), or null to take
     *                  the alert's {@code revisionName} dimension
     * @param now       the time of recording
     * @return the decision, with the incident as it must be stored (unchanged when {@code repeat} or IGNORE)
     */
    public IncidentDecision decide(List<Incident> recent, AlertSignal alert, Diagnosis diagnosis, String revision, Instant now) {
        Objects.requireNonNull(recent, "recent");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(now, "now");
        if (alert.condition() == AlertSignal.Condition.Fired && diagnosis == null) {
            throw new IllegalArgumentException("a Fired alert needs its diagnosis (alert " + alert.dedupeKey() + ")");
        }
        List<Incident> incidents = new ArrayList<>(recent);
        incidents.sort(Comparator.comparingLong(Incident::sequence).reversed());
        String key = alertKey(alert);
        for (Incident incident : incidents) {
            for (IncidentEvent event : incident.history()) {
                if (event.alertKey().equals(key)) {
                    return new IncidentDecision(event.action(), incident, List.of(), recurrence(incident, incidents), true);
                }
            }
        }
        String rev = revisionOf(alert, diagnosis, revision);
        if (alert.condition() == AlertSignal.Condition.Resolved) {
            return resolve(incidents, alert, diagnosis, rev, key, now);
        }
        Incident newest = incidents.isEmpty() ? null : incidents.get(0);
        if (newest != null && newest.acceptsAlertAt(alert.firedAt(), cooldown)) {
            return join(incidents, newest, alert, diagnosis, rev, key, now);
        }
        return open(incidents, newest, alert, diagnosis, rev, key, now);
    }

    /** The key that recognises a repeated alert in a history: a short hash of {@link AlertSignal#dedupeKey()}. */
    static String alertKey(AlertSignal alert) {
        return TableKeys.shortHash(alert.dedupeKey());
    }

    /** What identifies one alert across Fired and Resolved. */
    static String alertRef(AlertSignal alert) {
        return alert.id() != null ? alert.id() : alert.targetResourceId() + "@" + alert.firedAt();
    }

    /** The revision a diagnosis is about: the given one, else the alert's revisionName dimension, else the diagnosis' recent revision. */
    static String revisionOf(AlertSignal alert, Diagnosis diagnosis, String revision) {
        if (revision != null && !revision.isBlank()) {
            return revision;
        }
        for (Map.Entry<String, String> d : alert.dimensions().entrySet()) {
            if (d.getKey().equalsIgnoreCase("revisionName") && d.getValue() != null && !d.getValue().isBlank()) {
                return d.getValue();
            }
        }
        Figures f = diagnosis == null ? null : diagnosis.figures();
        return f == null ? null : f.recentRevision();
    }

    private IncidentDecision open(List<Incident> incidents, Incident newest, AlertSignal alert, Diagnosis diagnosis,
                                  String rev, String key, Instant now) {
        long sequence = newest == null ? 1 : newest.sequence() + 1;
        IncidentEvent event = event(alert.firedAt(), now, key, alert, diagnosis, rev, IncidentDecision.Action.NEW_INCIDENT);
        Incident incident = new Incident(Incident.idFor(alert.targetResourceId(), sequence), alert.targetResourceId(), sequence,
                Incident.Status.OPEN, alert.firedAt(), alert.firedAt(), null, 1, 1,
                List.of(alertRef(alert)), rev == null ? List.of() : List.of(rev), Map.of(), event, List.of(event), null);
        List<Incident> all = new ArrayList<>(incidents);
        all.add(0, incident);
        return new IncidentDecision(IncidentDecision.Action.NEW_INCIDENT, incident, List.of(), recurrence(incident, all), false);
    }

    private IncidentDecision join(List<Incident> incidents, Incident open, AlertSignal alert, Diagnosis diagnosis,
                                  String rev, String key, Instant now) {
        IncidentEvent probe = event(alert.firedAt(), now, key, alert, diagnosis, rev, IncidentDecision.Action.QUIET_UPDATE);
        List<String> changes = materialChanges(open, probe);
        IncidentDecision.Action action = changes.isEmpty() ? IncidentDecision.Action.QUIET_UPDATE : IncidentDecision.Action.UPDATE;
        IncidentEvent event = event(alert.firedAt(), now, key, alert, diagnosis, rev, action);
        boolean posts = action == IncidentDecision.Action.UPDATE;
        Instant lastAlertAt = alert.firedAt().isAfter(open.lastAlertAt()) ? alert.firedAt() : open.lastAlertAt();
        Incident updated = new Incident(open.id(), open.appResourceId(), open.sequence(), Incident.Status.OPEN, open.openedAt(),
                lastAlertAt, null, open.alertCount() + 1, open.notesPosted() + (posts ? 1 : 0),
                adding(open.firingAlerts(), alertRef(alert)), rev == null ? open.revisions() : adding(open.revisions(), rev),
                open.noteReferences(), posts ? event : open.lastPosted(), appended(open.history(), event), open.version());
        List<String> reasons = posts ? changes
                : List.of("nothing material changed since the note of " + minutes(open.lastPosted() == null ? open.openedAt() : open.lastPosted().at()));
        return new IncidentDecision(action, updated, reasons, recurrence(updated, incidents), false);
    }

    private IncidentDecision resolve(List<Incident> incidents, AlertSignal alert, Diagnosis diagnosis, String rev, String key, Instant now) {
        String ref = alertRef(alert);
        Incident target = incidents.stream()
                .filter(i -> i.status() == Incident.Status.OPEN && i.firingAlerts().contains(ref))
                .findFirst().orElse(null);
        if (target == null) {
            return new IncidentDecision(IncidentDecision.Action.IGNORE, null,
                    List.of("no open incident of this app holds alert " + ref), null, false);
        }
        Instant resolvedAt = alert.resolvedAt() != null ? alert.resolvedAt() : now;
        List<String> firing = new ArrayList<>(target.firingAlerts());
        firing.remove(ref);
        boolean closes = firing.isEmpty();
        IncidentDecision.Action action = closes ? IncidentDecision.Action.RESOLVE : IncidentDecision.Action.QUIET_UPDATE;
        IncidentEvent event = event(resolvedAt, now, key, alert, diagnosis, rev, action);
        Incident updated = new Incident(target.id(), target.appResourceId(), target.sequence(),
                closes ? Incident.Status.RESOLVED : Incident.Status.OPEN, target.openedAt(), target.lastAlertAt(),
                closes ? resolvedAt : null, target.alertCount() + 1, target.notesPosted() + (closes ? 1 : 0), firing,
                rev == null ? target.revisions() : adding(target.revisions(), rev), target.noteReferences(),
                closes ? event : target.lastPosted(), appended(target.history(), event), target.version());
        List<String> reasons = closes ? List.of()
                : List.of("alert resolved; " + firing.size() + " other alert" + (firing.size() == 1 ? "" : "s") + " of this incident still firing");
        return new IncidentDecision(action, updated, reasons, recurrence(updated, incidents), false);
    }

    /** The material changes of {@code event} against the incident's last posted note, in plain words; empty when none. */
    List<String> materialChanges(Incident open, IncidentEvent event) {
        IncidentEvent base = open.lastPosted() != null ? open.lastPosted() : open.latestDiagnosis();
        List<String> changes = new ArrayList<>();
        if (base == null) {
            return changes;
        }
        if (base.verdict() != null && event.verdict() != null && base.verdict() != event.verdict()) {
            changes.add("verdict " + base.verdict() + " → " + event.verdict());
        }
        Integer before = base.restarts();
        Integer after = event.restarts();
        if (before != null && after != null
                && (before == 0 ? after > 0 : after >= before * MATERIAL_RESTART_GROWTH_RATIO)) {
            changes.add(before == 0 ? "restarts 0 → " + after
                    : "restarts " + before + " → " + after + " (+" + Math.round((after - before) * 100.0 / before) + "%)");
        }
        Instant was = base.projectedOom();
        Instant is = event.projectedOom();
        if (was != null && is != null) {
            Duration shift = Duration.between(was, is);
            if (shift.abs().compareTo(MATERIAL_PROJECTION_SHIFT) > 0) {
                changes.add("projected OOM moved " + shift.abs().toMinutes() + " min " + (shift.isNegative() ? "earlier" : "later")
                        + " (" + minutes(was) + " → " + minutes(is) + ")");
            }
        } else if (was == null && is != null) {
            changes.add("OOM now projected at " + minutes(is));
        } else if (was != null) {
            changes.add("no OOM projected any more (was " + minutes(was) + ")");
        }
        if (event.revision() != null && !open.revisions().contains(event.revision())) {
            changes.add("new revision " + event.revision());
        }
        return changes;
    }

    private Recurrence recurrence(Incident incident, List<Incident> incidents) {
        Instant from = incident.openedAt().minus(recurrenceWindow);
        Incident previous = null;
        int earlier = 0;
        for (Incident other : incidents) {
            if (other.sequence() < incident.sequence() && !other.openedAt().isBefore(from)) {
                earlier++;
                if (previous == null || other.sequence() > previous.sequence()) {
                    previous = other;
                }
            }
        }
        IncidentEvent last = previous == null ? null : previous.latestDiagnosis();
        return new Recurrence(earlier + 1, recurrenceWindow, previous == null ? null : previous.id(),
                previous == null ? null : previous.openedAt(), last == null ? null : last.verdict(), last == null ? null : last.revision());
    }

    private static IncidentEvent event(Instant at, Instant now, String key, AlertSignal alert, Diagnosis diagnosis, String rev,
                                       IncidentDecision.Action action) {
        Figures f = diagnosis == null ? null : diagnosis.figures();
        return new IncidentEvent(at, now, key, alert.condition(),
                diagnosis == null ? null : diagnosis.verdict(), diagnosis == null ? null : diagnosis.confidence(), rev,
                f == null ? null : f.restarts(), f == null ? null : f.projectedOomEarliest(), action);
    }

    private static List<String> adding(List<String> values, String value) {
        if (values.contains(value)) {
            return values;
        }
        List<String> out = new ArrayList<>(values);
        out.add(value);
        return out.size() > Incident.MAX_TRACKED_IDS ? out.subList(out.size() - Incident.MAX_TRACKED_IDS, out.size()) : out;
    }

    private static List<IncidentEvent> appended(List<IncidentEvent> history, IncidentEvent event) {
        List<IncidentEvent> out = new ArrayList<>(history);
        out.add(event);
        return Incident.capped(out);
    }

    private static String minutes(Instant t) {
        return t.truncatedTo(ChronoUnit.MINUTES).toString();
    }

    private static Duration requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
        return d;
    }
}
