package io.oomresponder.store;

import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.pipeline.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The incident store of one process ({@code serve} without a storage account, demo, tests):
 * same rules as {@link TableIncidentStore}, with one lock instead of conditional writes. Everything
 * is lost when the process exits, so undelivered notes do not survive a restart here.
 */
public final class InMemoryIncidentStore implements IncidentStore {

    private final IncidentPolicy policy;
    private final Duration claimLease;
    private final Map<String, Claim> claims = new HashMap<>();
    /** app key → (sequence → incident). */
    private final Map<String, TreeMap<Long, Incident>> incidents = new HashMap<>();
    private final Map<String, UndeliveredNote> undelivered = new HashMap<>();
    private long versions;

    public InMemoryIncidentStore(IncidentPolicy policy, Duration claimLease) {
        this.policy = Objects.requireNonNull(policy, "policy");
        if (claimLease == null || claimLease.isNegative() || claimLease.isZero()) {
            throw new IllegalArgumentException("claimLease must be a positive duration, was " + claimLease);
        }
        this.claimLease = claimLease;
    }

    /** Policy from INCIDENT_COOLDOWN / INCIDENT_RECURRENCE_WINDOW, lease from ALERT_CLAIM_LEASE. */
    public static InMemoryIncidentStore fromSettings(Settings settings) {
        return new InMemoryIncidentStore(IncidentPolicy.fromSettings(settings),
                settings.duration("ALERT_CLAIM_LEASE", DEFAULT_CLAIM_LEASE));
    }

    @Override
    public synchronized boolean claim(String dedupeKey, Instant now) {
        return tryClaim(dedupeKey, now) == ClaimResult.CLAIMED;
    }

    @Override
    public synchronized ClaimResult tryClaim(String dedupeKey, Instant now) {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Claim existing = claims.get(dedupeKey);
        if (existing != null && existing.done) {
            return ClaimResult.COMPLETED;
        }
        if (existing != null && existing.leaseUntil.isAfter(now)) {
            return ClaimResult.HELD_ELSEWHERE;
        }
        claims.put(dedupeKey, new Claim(false, now.plus(claimLease)));
        return ClaimResult.CLAIMED;
    }

    @Override
    public synchronized void complete(String dedupeKey, Instant now) {
        claims.put(Objects.requireNonNull(dedupeKey, "dedupeKey"), new Claim(true, now));
    }

    @Override
    public synchronized void release(String dedupeKey) {
        Claim existing = claims.get(dedupeKey);
        if (existing != null && !existing.done) {
            claims.remove(dedupeKey);
        }
    }

    @Override
    public synchronized IncidentDecision recordDiagnosis(AlertSignal alert, Diagnosis diagnosis, String revision, Instant now) {
        TreeMap<Long, Incident> app = incidents.computeIfAbsent(Incident.appKey(alert.targetResourceId()), k -> new TreeMap<>());
        IncidentDecision decision = policy.decide(new ArrayList<>(app.values()), alert, diagnosis, revision, now);
        if (decision.repeat() || decision.action() == IncidentDecision.Action.IGNORE) {
            return decision;
        }
        Incident stored = decision.incident().withVersion(nextVersion());
        app.put(stored.sequence(), stored);
        return decision.withIncident(stored);
    }

    @Override
    public synchronized List<Incident> incidents(String appResourceId, int max) {
        TreeMap<Long, Incident> app = incidents.get(Incident.appKey(appResourceId));
        return app == null ? List.of() : app.descendingMap().values().stream().limit(max).toList();
    }

    @Override
    public synchronized Optional<Incident> incident(String appResourceId, String incidentId) {
        TreeMap<Long, Incident> app = incidents.get(Incident.appKey(appResourceId));
        Incident found = app == null ? null : app.get(Incident.sequenceOf(incidentId));
        return found != null && found.id().equals(incidentId) ? Optional.of(found) : Optional.empty();
    }

    @Override
    public synchronized void recordDelivered(RenderedNote note, Receipt receipt) {
        if (note.replay() || note.incidentId() == null || note.appResourceId() == null || receipt == null) {
            return;
        }
        incident(note.appResourceId(), note.incidentId()).ifPresent(found -> {
            Incident updated = found.withNoteReference(receipt.sink(), receipt.reference());
            if (updated != found) {
                incidents.get(Incident.appKey(note.appResourceId())).put(found.sequence(), updated.withVersion(nextVersion()));
            }
        });
    }

    @Override
    public synchronized boolean saveUndelivered(UndeliveredNote note) {
        if (undelivered.containsKey(note.key())) {
            return false;
        }
        undelivered.put(note.key(), note.withVersion(nextVersion()));
        return true;
    }

    @Override
    public synchronized List<UndeliveredNote> dueForRedelivery(Instant now, int max) {
        return undelivered.values().stream()
                .filter(n -> n.status() == UndeliveredNote.Status.PENDING && !n.nextAttemptAt().isAfter(now))
                .sorted(Comparator.comparing(UndeliveredNote::nextAttemptAt))
                .limit(max)
                .toList();
    }

    @Override
    public synchronized Optional<UndeliveredNote> reschedule(UndeliveredNote note) {
        if (!unchanged(note)) {
            return Optional.empty();
        }
        UndeliveredNote stored = note.withVersion(nextVersion());
        undelivered.put(note.key(), stored);
        return Optional.of(stored);
    }

    @Override
    public synchronized boolean markRedelivered(UndeliveredNote note) {
        if (!unchanged(note)) {
            return false;
        }
        undelivered.remove(note.key());
        return true;
    }

    @Override
    public synchronized boolean markExpired(UndeliveredNote note, String reason) {
        if (!unchanged(note)) {
            return false;
        }
        undelivered.put(note.key(), note.expired(reason).withVersion(nextVersion()));
        return true;
    }

    @Override
    public synchronized List<UndeliveredNote> undelivered(UndeliveredNote.Status status) {
        return undelivered.values().stream().filter(n -> n.status() == status).toList();
    }

    private boolean unchanged(UndeliveredNote note) {
        UndeliveredNote current = undelivered.get(note.key());
        return current != null && Objects.equals(current.version(), note.version());
    }

    private String nextVersion() {
        return Long.toString(++versions);
    }

    private record Claim(boolean done, Instant leaseUntil) {
    }
}
