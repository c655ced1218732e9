package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.evidence.EvidenceWindowPolicy;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.evidence.azure.AzureEndpoints;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.delivery.RetryPolicy;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.RedeliveryPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Reads every setting that has a form (durations, numbers, URLs, routes, the cloud name) without
 * building Azure clients or touching storage, so a process that listens first ({@code serve})
 * refuses a bad value before it says it is serving, rather than on its first alert.
 * {@code SettingsCheckTest} fails when a duration or number setting is read somewhere but not here:
 * a new one is added to {@link #DURATIONS} or {@link #NUMBERS}.
 */
public final class SettingsCheck {

    private static final List<String> DURATIONS = List.of(
            AzureClients.EVIDENCE_RETRY_DELAY, AzureClients.EVIDENCE_RETRY_MAX_DELAY, AzureClients.EVIDENCE_CALL_TIMEOUT,
            AzureEvidenceSource.EVIDENCE_SOURCE_TIMEOUT, "ALERT_CLAIM_LEASE", "REDELIVERY_INTERVAL",
            "SERVE_HEADER_TIMEOUT", "SERVE_BODY_TIMEOUT", "SERVE_WRITE_TIMEOUT", "ALERT_HANDLER_BUDGET", "POISON_REDRIVE_DELAY",
            "RETENTION_CLAIMS", "RETENTION_INCIDENTS", "RETENTION_NOTES", "RETENTION_RECEIPTS", "INTAKE_QUEUE_TIMEOUT",
            "INTAKE_APP_RATE_WINDOW", "CHART_LINK_LIFETIME", "RECONCILE_GRACE", "RECONCILE_INTERVAL",
            OperatorChannel.REPORT_PERIOD);
    private static final List<String> NUMBERS = List.of(
            AzureClients.EVIDENCE_MAX_RETRIES, AzureEvidenceSource.EVIDENCE_THREADS, AzureEvidenceSource.EVIDENCE_METRICS_TOP,
            "SERVE_MAX_CONNECTIONS_PER_CLIENT", "SERVE_REPLAY_THREADS", "SERVE_REPLAY_QUEUE", "POISON_MAX_REDRIVES",
            "INTAKE_APP_RATE_LIMIT");

    private SettingsCheck() {
    }

    /**
     * @throws IllegalArgumentException naming the first setting whose value has the wrong form
     *                                  (message "setting NAME ...")
     */
    public static void check(Settings settings) {
        AzureEndpoints.from(settings);
        EvidenceWindowPolicy.from(settings);
        IncidentPolicy.fromSettings(settings);
        RedeliveryPolicy.fromSettings(settings);
        RetryPolicy.from(settings);
        SinkRoutes.fromSettings(settings, Clock.systemUTC());
        OperatorChannel.fromSettings(settings, Clock.systemUTC());
        DURATIONS.forEach(name -> settings.duration(name, Duration.ZERO));
        NUMBERS.forEach(name -> settings.integer(name, 0));
    }
}
