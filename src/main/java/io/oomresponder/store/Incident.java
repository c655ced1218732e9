package io.oomresponder.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One problem of one container app: the alerts that fired for it until it resolved (or went
 * quiet for longer than the cooldown), its diagnoses, and where its first note landed.
 *
 * @param id             stable id {@code <app name>-<hash of the app id>-<sequence>}, e.g. {@code orders-api-1f0c9a7b2e4d5c61-3}
 * @param appResourceId  the container app's ARM id, as the first alert wrote it
 * @param sequence       1 for the app's first incident, then 2, 3, ...
 * @param status         OPEN until a Resolved alert closes it
 * @param openedAt       when its first alert fired
 * @param lastAlertAt    when its latest alert fired (the cooldown runs from here)
 * @param resolvedAt     when it resolved, or null
 * @param alertCount     alerts recorded (Fired and Resolved), including quiet ones
 * @param notesPosted    notes decided (new, updates, resolution)
 * @param firingAlerts   alert ids that fired and have not resolved yet
 * @param revisions      container app revisions seen in its diagnoses, oldest first
 * @param noteReferences per sink, the reference of the first note delivered there (Teams message, ticket key, ...)
 * @param lastPosted     the event whose note was last posted: the baseline for "material change"
 * @param history        recorded events, oldest first; long incidents keep the first and the latest ones
 * @param version        storage version (ETag) this copy was read at; null for an unsaved incident
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Incident(
        String id,
        String appResourceId,
        long sequence,
        Status status,
        Instant openedAt,
        Instant lastAlertAt,
        Instant resolvedAt,
        int alertCount,
        int notesPosted,
        List<String> firingAlerts,
        List<String> revisions,
        Map<String, String> noteReferences,
        IncidentEvent lastPosted,
        List<IncidentEvent> history,
        @JsonIgnore String version) {

    /** Events kept per incident; keeps the stored entity well under Table storage's 64 KiB property limit. */
    public static final int MAX_HISTORY_EVENTS = 50;
    /** Alert ids and revisions kept per incident. */
    static final int MAX_TRACKED_IDS = 30;

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(appResourceId, "appResourceId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(lastAlertAt, "lastAlertAt");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1, was " + sequence);
        }
        firingAlerts = firingAlerts == null ? List.of() : List.copyOf(firingAlerts);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
        noteReferences = noteReferences == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(noteReferences));
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** Whether the incident is resolved. */
    public enum Status { OPEN, RESOLVED }

    /** The id of an app's {@code sequence}-th incident. */
    public static String idFor(String appResourceId, long sequence) {
        String key = appKey(appResourceId);
        String name = key.substring(key.lastIndexOf('/') + 1).replaceAll("[^a-z0-9-]", "");
        if (name.length() > 32) {
            name = name.substring(0, 32);
        }
        if (name.isEmpty()) {
            name = "app";
        }
        return name + "-" + TableKeys.shortHash(key) + "-" + sequence;
    }

    /** The sequence number inside an incident id made by {@link #idFor}. */
    public static long sequenceOf(String incidentId) {
        int dash = incidentId == null ? -1 : incidentId.lastIndexOf('-');
        try {
            return Long.parseLong(incidentId.substring(dash + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an incident id: '" + incidentId + "'");
        }
    }

    /** ARM ids are case-insensitive: one app, one key, however an alert spells it. */
    static String appKey(String appResourceId) {
        return appResourceId.trim().toLowerCase(Locale.ROOT);
    }

    /** Whether a new alert at {@code alertTime} joins this incident rather than opening another. */
    public boolean acceptsAlertAt(Instant alertTime, Duration cooldown) {
        return status == Status.OPEN && !alertTime.isAfter(lastAlertAt.plus(cooldown));
    }

    /** Time from the first alert to resolution, or null while open. */
    @JsonIgnore
    public Duration timeToResolve() {
        return resolvedAt == null ? null : Duration.between(openedAt, resolvedAt);
    }

    /** The latest event that carried a diagnosis, or null. */
    @JsonIgnore
    public IncidentEvent latestDiagnosis() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).verdict() != null) {
                return history.get(i);
            }
        }
        return null;
    }

    /** This incident as stored at {@code newVersion}. */
    public Incident withVersion(String newVersion) {
        return new Incident(id, appResourceId, sequence, status, openedAt, lastAlertAt, resolvedAt, alertCount, notesPosted,
                firingAlerts, revisions, noteReferences, lastPosted, history, newVersion);
    }

    /** This incident with the first reference of {@code sink} recorded (a later one does not replace it). */
    public Incident withNoteReference(String sink, String reference) {
        if (sink == null || reference == null || noteReferences.containsKey(sink)) {
            return this;
        }
        Map<String, String> refs = new LinkedHashMap<>(noteReferences);
        refs.put(sink, reference);
        return new Incident(id, appResourceId, sequence, status, openedAt, lastAlertAt, resolvedAt, alertCount, notesPosted,
                firingAlerts, revisions, refs, lastPosted, history, version);
    }

    /** {@code events} trimmed to the first event plus the latest ones, {@link #MAX_HISTORY_EVENTS} in all. */
    static List<IncidentEvent> capped(List<IncidentEvent> events) {
        if (events.size() <= MAX_HISTORY_EVENTS) {
            return events;
        }
        List<IncidentEvent> kept = new ArrayList<>(MAX_HISTORY_EVENTS);
        kept.add(events.get(0));
        kept.addAll(events.subList(events.size() - (MAX_HISTORY_EVENTS - 1), events.size()));
        return kept;
    }
}
