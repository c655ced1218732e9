package io.oomresponder.store;

import io.oomresponder.config.Settings;

import java.time.Instant;
import java.util.List;

/**
 * The record of every alert received, kept for the reconcile against Azure Monitor's own list of
 * fired alerts (an alert the action group could not deliver is missing here). Written before any
 * slow work on an alert; read by the reconcile timer for the last hour or so.
 *
 * <p>Implementations: {@link TableReceivedAlerts} (shared by every instance) and
 * {@link InMemoryReceivedAlerts} (one process).
 */
public interface ReceivedAlerts {

    /** Records an alert; a second record of the same dedupe key is kept (it changes nothing the reconcile reads). */
    void record(ReceivedAlert alert);

    /** Alerts received at or after {@code from}. */
    List<ReceivedAlert> since(Instant from, Instant now);

    /**
     * Deletes receipts received before {@code before} (at most {@link StoreRetention#MAX_DELETES_PER_SWEEP}
     * per call; the next sweep continues).
     *
     * @return how many were deleted
     */
    int sweep(Instant before);

    /** "memory" or "azure-table". */
    String mode();

    /** The Table one when incident storage is configured (same account and prefix as the incident store), else in memory. */
    static ReceivedAlerts fromSettings(Settings settings) {
        return TableIncidentStore.isConfigured(settings) ? TableReceivedAlerts.fromSettings(settings) : new InMemoryReceivedAlerts();
    }
}
