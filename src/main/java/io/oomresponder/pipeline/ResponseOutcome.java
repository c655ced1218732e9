package io.oomresponder.pipeline;

import java.util.Objects;

/**
 * What the pipeline did with one queued alert.
 *
 * @param status what happened
 * @param detail one line for logs (no secrets)
 */
public record ResponseOutcome(Status status, String detail) {

    public ResponseOutcome {
        Objects.requireNonNull(status, "status");
        detail = detail == null ? "" : detail;
    }

    /** The possible outcomes of {@link Responder#respond}. */
    public enum Status {
        /** A note was delivered (or stored for redelivery). */
        DELIVERED,
        /** The same alertId and condition was already handled. */
        DUPLICATE,
        /** Nothing to do for this alert. */
        IGNORED,
        /** An open incident absorbed it and nothing material changed. */
        QUIET,
        /** The alert named its app only by name and no single app was found; a note saying so was sent. */
        UNRESOLVED,
        /**
         * Not an incident: ARM says the alert's app does not exist ({@link io.oomresponder.evidence.AppAbsence}).
         * Reported once per app and period to the operator's channel ({@link OperatorChannel}), or logged
         * when there is none; no incident sink is told.
         */
        UNPROCESSABLE
    }
}
