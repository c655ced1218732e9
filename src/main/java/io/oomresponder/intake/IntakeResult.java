package io.oomresponder.intake;

import java.util.List;
import java.util.Objects;

/**
 * What intake decided about one request body. {@link HttpAnswer#of(IntakeResult)} turns it into the
 * HTTP answer, the same way for the Function and for {@code serve}.
 */
public sealed interface IntakeResult {

    /**
     * One or more alerts to put on the {@code alerts} queue (an Event Grid batch can hold several).
     *
     * @param joined      alerts of the same request left out because they name the same app, signal and condition as a queued one
     * @param rateLimited alerts left out because their app is over its rate limit
     * @param receipts    what was done with each alert left out (joined, rate-limited, ignored), for the reconcile
     * @param overAppBound alerts left out because the request named more than {@link AlertIntake#MAX_APPS_PER_REQUEST} apps
     * @param eventSource  the Event Grid source the alerts came from (topic, or the CloudEvent's source), lower case; null for an action group
     * @param overSourceBound alerts left out because their source is over {@link AlertIntake#MAX_ALERTS_PER_SOURCE_PER_MINUTE}
     */
    record Accepted(List<QueuedAlert> alerts, int joined, int rateLimited, List<IntakeReceipt> receipts, int overAppBound,
                    String eventSource, int overSourceBound) implements IntakeResult {
        public Accepted {
            alerts = List.copyOf(alerts);
            receipts = receipts == null ? List.of() : List.copyOf(receipts);
            if (alerts.isEmpty()) {
                throw new IllegalArgumentException("alerts must not be empty");
            }
        }

        public Accepted(List<QueuedAlert> alerts, int joined, int rateLimited, List<IntakeReceipt> receipts, int overAppBound) {
            this(alerts, joined, rateLimited, receipts, overAppBound, null, 0);
        }

        /** Whether these alerts came through Event Grid (not straight from an action group). */
        public boolean fromEventGrid() {
            return eventSource != null;
        }

        public Accepted(List<QueuedAlert> alerts, int joined, int rateLimited) {
            this(alerts, joined, rateLimited, List.of(), 0);
        }

        public Accepted(List<QueuedAlert> alerts) {
            this(alerts, 0, 0, List.of(), 0);
        }

        public Accepted(List<QueuedAlert> alerts, int joined, int rateLimited, List<IntakeReceipt> receipts) {
            this(alerts, joined, rateLimited, receipts, 0);
        }
    }

    /**
     * A well-formed payload that oom-responder does not act on (other resource type, other metric, out of scope).
     *
     * @param receipts the alerts it held (with their dedupe keys), for the reconcile; empty when none could be read
     */
    record Ignored(String reason, List<IntakeReceipt> receipts) implements IntakeResult {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
            receipts = receipts == null ? List.of() : List.copyOf(receipts);
        }

        public Ignored(String reason) {
            this(reason, List.of());
        }
    }

    /** The receipts a decision leaves for the reconcile (empty for a rejection or a handshake). */
    default List<IntakeReceipt> receipts() {
        return List.of();
    }

    /** A payload refused with a 4xx: {@code status} is 400 or 413. */
    record Rejected(int status, String error, String field) implements IntakeResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            if (status < 400 || status > 499) {
                throw new IllegalArgumentException("intake rejects with a 4xx status only, not " + status);
            }
        }
    }

    /** Event Grid's subscription validation: answer {@code body} with 200. */
    record Handshake(String validationCode) implements IntakeResult {
        public Handshake {
            Objects.requireNonNull(validationCode, "validationCode");
        }
    }
}
