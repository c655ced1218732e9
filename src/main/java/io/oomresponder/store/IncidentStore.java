package io.oomresponder.store;

import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.config.Settings;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Remembers alert deliveries, incidents and undelivered notes, so that repeated and concurrent
 * deliveries of an alert produce one note, repeated alerts for one app form one incident that
 * evolves, and no note is lost when a sink or the process goes down.
 *
 * <p>How the pipeline uses it, for one queued alert:
 * <pre>{@code
 * if (!store.claim(alert.dedupeKey(), now)) return;               // a duplicate: another delivery has it
 * try {
 *     IncidentDecision d = store.recordDiagnosis(alert, diagnosis, bundle.app().latestRevision(), now);
 *     if (d.postsNote()) {
 *         RenderedNote note = render(d);                            // kind = d.noteKind(), incident id, references,
 *         for (Notifier sink : sinks) {                             // d.changes(), d.recurrence().describe()
 *             try { store.recordDelivered(note, sink.send(note)); }
 *             catch (DeliveryException e) { redelivery.park(note, sink.name(), e); }
 *         }
 *     }
 *     store.complete(alert.dedupeKey(), now);
 * } catch (RuntimeException e) {
 *     store.release(alert.dedupeKey());                             // let the queue's retry claim it again
 *     throw e;
 * }
 * }</pre>
 * and {@link Redelivery#sweep()} on a timer for the undelivered notes.
 *
 * <p>Every write is conditional (insert-if-absent, or replace-if-unchanged), so instances racing
 * on one alert or one app agree: exactly one claim wins, and incident decisions are serialised
 * per app. Methods are thread-safe. Storage failures surface as unchecked exceptions
 * ({@code com.azure.core.exception.HttpResponseException} from the Table implementation).
 *
 * <p>Implementations: {@link TableIncidentStore} (Azure Table storage) and {@link InMemoryIncidentStore}
 * (one process, lost on exit). {@link #fromSettings(Settings)} picks one.
 */
public interface IncidentStore {

    /**
     * How long a claim holds without renewal (ALERT_CLAIM_LEASE). A live handler renews it every
     * quarter lease ({@link #renewClaim}, the heartbeat), so it keeps its claim however long it works;
     * a handler that died loses it at most one lease after its last renewal, and the queue's next
     * delivery takes it over. {@link ClaimTiming} rejects a lease that could outlast the queue's
     * last delivery (host.json: maxDequeueCount 5 × visibilityTimeout 75 s).
     */
    Duration DEFAULT_CLAIM_LEASE = Duration.ofMinutes(1);

    /**
     * Claims the first delivery of an alert notification.
     *
     * @param dedupeKey {@link AlertSignal#dedupeKey()} ({@code alertId|condition})
     * @param now       current time
     * @return true for the one caller that may process it; false for a duplicate (completed, or claimed by
     *         another caller whose lease has not run out)
     */
    default boolean claim(String dedupeKey, Instant now) {
        return tryClaim(dedupeKey, now) == ClaimResult.CLAIMED;
    }

    /** What {@link #tryClaim} found. */
    enum ClaimResult {
        /** This caller holds the claim and must process the alert. */
        CLAIMED,
        /** The alert was processed for good: a true duplicate, drop it. */
        COMPLETED,
        /**
         * Another caller holds a live lease: it may still finish, fail or have died. Retry later
         * (the queue's retry), never drop: after the lease runs out the claim can be taken over.
         */
        HELD_ELSEWHERE
    }

    /**
     * {@link #claim} that tells a completed alert from one another caller holds right now, so that
     * a delivery arriving while the claimant is dead (its lease not yet run out) is retried rather
     * than dropped. The default cannot tell them apart and reports every refusal as COMPLETED.
     */
    default ClaimResult tryClaim(String dedupeKey, Instant now) {
        return tryClaim(dedupeKey, newOwner(), now);
    }

    /**
     * {@link #tryClaim(String, Instant)} for a named owner (one handler attempt), so that only that
     * owner renews or releases the claim: a handler whose claim was taken over cannot extend or
     * delete the new owner's claim.
     */
    ClaimResult tryClaim(String dedupeKey, String owner, Instant now);

    /**
     * The heartbeat: extends the owner's claim to {@code now} + lease.
     *
     * @return false when the claim is no longer the owner's (it expired and was taken over, was
     *         completed, or is gone): the handler must not deliver
     */
    boolean renewClaim(String dedupeKey, String owner, Instant now);

    /** How long a claim holds without renewal (ALERT_CLAIM_LEASE). */
    Duration claimLease();

    /** A fresh claim owner id. */
    static String newOwner() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Marks a claimed alert as processed for good: later deliveries of it are duplicates forever. */
    void complete(String dedupeKey, Instant now);

    /** Gives up a claim after a failure, so the queue's retry of the same message can claim it again. */
    void release(String dedupeKey);

    /** {@link #release(String)} only while {@code owner} still holds the claim. */
    void release(String dedupeKey, String owner);

    /**
     * Records that one sink took the note of this alert, before the handler moves on, so that a
     * takeover or a redelivery sends the note only to the sinks that have not had it.
     */
    void recordSinkDelivered(String dedupeKey, String sink, Instant now);

    /** The sinks that already took the note of this alert ({@link #recordSinkDelivered}). */
    java.util.Set<String> deliveredSinks(String dedupeKey);

    /** Remembers why the latest attempt at this alert failed (short, no secrets), for the poison report. */
    void recordFailure(String dedupeKey, String reason, Instant now);

    /** The reason of {@link #recordFailure}, if any. */
    Optional<String> lastFailure(String dedupeKey);

    /**
     * Claims the one report to the operator about {@code subject} (an app ARM says does not exist:
     * {@code "missing-app|<lower-case app id>"}) for {@code period}: true for the one caller, across
     * instances sharing the store, that should report it now; false while an earlier report is less
     * than {@code period} old. Insert-if-absent, or an ETag-matched replace of an expired record, so
     * racing instances agree. The record goes in the retention sweep once its period is over.
     */
    boolean claimOperatorReport(String subject, Instant now, Duration period);

    /**
     * Deletes what the retention no longer keeps: finished (and long-expired) claims with their sink
     * records, incidents whose last alert is older than the incident retention, and expired
     * (reported) notes. Pending notes are never swept: they expire by REDELIVERY_MAX_AGE first.
     * At most {@link StoreRetention#MAX_DELETES_PER_SWEEP} rows of each kind per call.
     */
    RetentionReport sweepRetention(StoreRetention retention, Instant now);

    /**
     * Records an alert and its diagnosis in the app's incidents and decides what to post
     * (see {@link IncidentPolicy} for the rules).
     *
     * @param alert     the alert (Fired or Resolved)
     * @param diagnosis its diagnosis; required for Fired, may be null for Resolved
     * @param revision  the app's current revision ({@code bundle.app().latestRevision()}), or null to use
     *                  the alert's {@code revisionName} dimension
     * @param now       current time
     * @return the decision and the incident as stored
     */
    IncidentDecision recordDiagnosis(AlertSignal alert, Diagnosis diagnosis, String revision, Instant now);

    /** The app's incidents, newest first, at most {@code max}. */
    List<Incident> incidents(String appResourceId, int max);

    /** One incident by its id, or empty. */
    Optional<Incident> incident(String appResourceId, String incidentId);

    /**
     * Records that a sink took a note: the first reference per sink becomes the incident's
     * reference for later updates ({@link Incident#noteReferences()}). Replayed notes and notes
     * without an incident are ignored.
     */
    void recordDelivered(RenderedNote note, Receipt receipt);

    /**
     * Stores a note a sink did not take (insert-if-absent by {@link UndeliveredNote#key()}).
     *
     * @return false when the same note for the same sink was already stored (it keeps its attempts)
     */
    boolean saveUndelivered(UndeliveredNote note);

    /** PENDING notes due at {@code now} (nextAttemptAt ≤ now), oldest due first, at most {@code max}. */
    List<UndeliveredNote> dueForRedelivery(Instant now, int max);

    /**
     * Writes a changed attempt count, next attempt time and last error of a stored note, if nobody
     * changed it since it was read ({@link UndeliveredNote#version()}). Taking a note for an attempt this
     * way makes one instance the only sender.
     *
     * @return the note at its new version, or empty when another instance changed or removed it first
     */
    Optional<UndeliveredNote> reschedule(UndeliveredNote note);

    /** Removes a note that went through. @return false when it had changed or was gone already */
    boolean markRedelivered(UndeliveredNote note);

    /** Marks a note EXPIRED (kept for the record, no longer due). @return false when another instance changed it first */
    boolean markExpired(UndeliveredNote note, String reason);

    /** Every stored undelivered note of one status (for reports and tests; small tables only). */
    List<UndeliveredNote> undelivered(UndeliveredNote.Status status);

    /**
     * The store for these settings: {@link TableIncidentStore#fromSettings} when a storage account is
     * configured (INCIDENT_STORE_CONNECTION, INCIDENT_STORE_ENDPOINT, AzureWebJobsStorage or
     * AzureWebJobsStorage__accountName / __tableServiceUri), else an {@link InMemoryIncidentStore}.
     */
    static IncidentStore fromSettings(Settings settings) {
        if (TableIncidentStore.isConfigured(settings)) {
            return TableIncidentStore.fromSettings(settings);
        }
        org.slf4j.LoggerFactory.getLogger(IncidentStore.class)
                .warn("no incident storage configured (INCIDENT_STORE_CONNECTION / AzureWebJobsStorage): incidents and undelivered notes are kept in memory and lost on exit");
        return InMemoryIncidentStore.fromSettings(settings);
    }
}
