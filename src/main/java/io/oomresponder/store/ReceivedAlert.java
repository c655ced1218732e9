package io.oomresponder.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One alert notification that reached the pipeline: which alert, about which app, and when the
 * intake took it. The reconcile compares these with the alerts Azure Monitor fired.
 *
 * @param dedupeKey     {@code alertId|condition}
 * @param alertId       Azure Monitor's alert id
 * @param appResourceId the container app the alert is about
 * @param receivedAt    when the intake took it (the queue message's {@code receivedAt})
 * @param outcome       what the intake did with it: {@code accepted}, {@code joined}, {@code rate-limited} or {@code ignored}
 */
public record ReceivedAlert(String dedupeKey, String alertId, String appResourceId, Instant receivedAt, String outcome) {

    public ReceivedAlert {
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        outcome = outcome == null ? "accepted" : outcome;
    }

    /** An alert the intake queued for the pipeline. */
    public ReceivedAlert(String dedupeKey, String alertId, String appResourceId, Instant receivedAt) {
        this(dedupeKey, alertId, appResourceId, receivedAt, "accepted");
    }
}
