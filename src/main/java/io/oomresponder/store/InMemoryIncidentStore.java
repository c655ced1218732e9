package io.oomresponder.store;

import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.TreeMap;

/**
 * The incident store of one process ({@code serve} without a storage account, demo, tests):
 * same rules as {@link TableIncidentStore}, with one lock instead of conditional writes. Everything
 * is lost when the process exits, so undelivered notes do not survive a restart here.
 */
public final class InMemoryIncidentStore implements IncidentStore {

    private final IncidentPolicy policy;
    private final Duration claimLease;
    /** Claims in insertion order, so the oldest are evicted first when the map is full. */
    private final Map<String, Claim> claims = new java.util.LinkedHashMap<>();
    /** app key → (sequence → incident), least recently alerting app first (access order). */
    private final Map<String, TreeMap<Long, Incident>> incidents = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TreeMap<Long, Incident>> eldest) {
            // Bounded: an app that has not alerted for longest loses its incidents first (its next alert opens a new one).
            return size() > maxApps;
        }
    };
    private final Map<String, UndeliveredNote> undelivered = new HashMap<>();
    /** Operator reports: subject → until when a new report is not due (insertion order, bounded like the claims). */
    private final Map<String, Instant> operatorReports = new java.util.LinkedHashMap<>();
    private long versions;
    private final int maxClaims;
    private final int maxApps;

    /** Claims kept in memory at most (about 0.5 KB each). */
    public static final int MAX_CLAIMS = 20_000;
    /** Apps whose incidents are kept in memory at most (a few KB each). */
    public static final int MAX_APPS = 2_000;

    public InMemoryIncidentStore(IncidentPolicy policy, Duration claimLease) {
        this(policy, claimLease, MAX_CLAIMS, MAX_APPS);
    }

    /** With explicit bounds (tests). */
    InMemoryIncidentStore(IncidentPolicy policy, Duration claimLease, int maxClaims, int maxApps) {
        this.maxClaims = maxClaims;
        this.maxApps = maxApps;
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
    public Duration claimLease() {
        return claimLease;
    }

    @Override
    public synchronized ClaimResult tryClaim(String dedupeKey, String owner, Instant now) {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Claim existing = claims.get(dedupeKey);
        if (existing != null && existing.done) {
            return ClaimResult.COMPLETED;
        }
        if (existing != null && existing.leaseUntil.isAfter(now)) {
            return ClaimResult.HELD_ELSEWHERE;
        }
        claims.put(dedupeKey, new Claim(false, owner, now.plus(claimLease), existing == null ? Set.of() : existing.sinks, existing == null ? null : existing.failure));
        evictClaims();
        return ClaimResult.CLAIMED;
    }

    @Override
    public synchronized boolean renewClaim(String dedupeKey, String owner, Instant now) {
        Claim existing = claims.get(dedupeKey);
        if (existing == null || existing.done || !Objects.equals(existing.owner, owner)) {
            return false;
        }
        claims.put(dedupeKey, new Claim(false, owner, now.plus(claimLease), existing.sinks, existing.failure));
        return true;
    }

    @Override
    public synchronized void complete(String dedupeKey, Instant now) {
        Claim existing = claims.get(Objects.requireNonNull(dedupeKey, "dedupeKey"));
        claims.put(dedupeKey, new Claim(true, null, now, existing == null ? Set.of() : existing.sinks, existing == null ? null : existing.failure));
        evictClaims();
    }

    @Override
    public synchronized void release(String dedupeKey) {
        release(dedupeKey, null);
    }

    @Override
    public synchronized void release(String dedupeKey, String owner) {
        Claim existing = claims.get(dedupeKey);
        if (existing != null && !existing.done && (owner == null || owner.equals(existing.owner))) {
            // The sink records stay: a retry must not send again to sinks that already took the note.
            claims.put(dedupeKey, new Claim(false, null, Instant.MIN, existing.sinks, existing.failure));
        }
    }

    @Override
    public synchronized void recordSinkDelivered(String dedupeKey, String sink, Instant now) {
        Claim existing = claims.get(dedupeKey);
        Set<String> sinks = new TreeSet<>(existing == null ? Set.of() : existing.sinks);
        sinks.add(sink);
        claims.put(dedupeKey, existing == null ? new Claim(false, null, Instant.MIN, Set.copyOf(sinks), null)
                : new Claim(existing.done, existing.owner, existing.leaseUntil, Set.copyOf(sinks), existing.failure));
    }

    @Override
    public synchronized Set<String> deliveredSinks(String dedupeKey) {
        Claim existing = claims.get(dedupeKey);
        return existing == null ? Set.of() : new TreeSet<>(existing.sinks);
    }

    @Override
    public synchronized void recordFailure(String dedupeKey, String reason, Instant now) {
        Claim existing = claims.get(dedupeKey);
        claims.put(dedupeKey, existing == null ? new Claim(false, null, Instant.MIN, Set.of(), reason)
                : new Claim(existing.done, existing.owner, existing.leaseUntil, existing.sinks, reason));
    }

    @Override
    public synchronized Optional<String> lastFailure(String dedupeKey) {
        Claim existing = claims.get(dedupeKey);
        return existing == null ? Optional.empty() : Optional.ofNullable(existing.failure);
    }

    @Override
    public synchronized boolean claimOperatorReport(String subject, Instant now, Duration period) {
        Objects.requireNonNull(subject, "subject");
        Instant until = operatorReports.get(subject);
        if (until != null && until.isAfter(now)) {
            return false;
        }
        operatorReports.remove(subject);
        operatorReports.put(subject, now.plus(period));
        // Bounded: beyond MAX_CLAIMS subjects the oldest record goes (its subject would be reported again).
        for (var it = operatorReports.keySet().iterator(); it.hasNext() && operatorReports.size() > maxClaims; ) {
            it.next();
            it.remove();
        }
        return true;
    }

    @Override
    public synchronized RetentionReport sweepRetention(StoreRetention retention, Instant now) {
        Instant claimsBefore = retention.claimsBefore(now);
        int claimCount = 0;
        for (var it = operatorReports.values().iterator(); it.hasNext(); ) {
            if (!it.next().isAfter(now) && claimCount < StoreRetention.MAX_DELETES_PER_SWEEP) {
                it.remove();
                claimCount++;
            }
        }
        for (var it = claims.values().iterator(); it.hasNext(); ) {
            Claim c = it.next();
            if (c.leaseUntil.isBefore(claimsBefore) && claimCount < StoreRetention.MAX_DELETES_PER_SWEEP) {
                it.remove();
                claimCount++;
            }
        }
        Instant incidentsBefore = retention.incidentsBefore(now);
        int incidentCount = 0;
        for (var apps = incidents.values().iterator(); apps.hasNext(); ) {
            TreeMap<Long, Incident> app = apps.next();
            for (var it = app.values().iterator(); it.hasNext(); ) {
                if (it.next().lastAlertAt().isBefore(incidentsBefore) && incidentCount < StoreRetention.MAX_DELETES_PER_SWEEP) {
                    it.remove();
                    incidentCount++;
                }
            }
            if (app.isEmpty()) {
                apps.remove();
            }
        }
        Instant notesBefore = retention.notesBefore(now);
        int noteCount = 0;
        for (var it = undelivered.values().iterator(); it.hasNext(); ) {
            UndeliveredNote n = it.next();
            if (n.status() == UndeliveredNote.Status.EXPIRED && n.firstFailedAt().isBefore(notesBefore) && noteCount < StoreRetention.MAX_DELETES_PER_SWEEP) {
                it.remove();
                noteCount++;
            }
        }
        return new RetentionReport(claimCount, incidentCount, noteCount);
    }

    /**
     * Keeps the claims map bounded in a long-running {@code serve}: beyond {@link #MAX_CLAIMS}, the
     * oldest finished claims go first (a very late copy of such an alert would be handled again:
     * a duplicate note, never a lost one). Claims in progress are never evicted.
     */
    private void evictClaims() {
        if (claims.size() <= maxClaims) {
            return;
        }
        for (var it = claims.values().iterator(); it.hasNext() && claims.size() > maxClaims; ) {
            if (it.next().done) {
                it.remove();
            }
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

    /** Claims held in memory (tests of the bound). */
    synchronized int claimCount() {
        return claims.size();
    }

    /** Apps with incidents held in memory (tests of the bound). */
    synchronized int appCount() {
        return incidents.size();
    }

    private boolean unchanged(UndeliveredNote note) {
        UndeliveredNote current = undelivered.get(note.key());
        return current != null && Objects.equals(current.version(), note.version());
    }

    private String nextVersion() {
        return Long.toString(++versions);
    }

    /** A claim; done claims keep their completion time in {@code leaseUntil}. */
    private record Claim(boolean done, String owner, Instant leaseUntil, Set<String> sinks, String failure) {
    }
}
