package io.oomresponder.intake;

import java.util.List;
import java.util.Objects;

/**
 * What intake decided about one request body. {@link HttpAnswer#of(IntakeResult)} turns it into the
 * HTTP answer, the same way for the Function and for {@code serve}.
 */
public sealed interface IntakeResult {

    /** One or more alerts to put on the {@code alerts} queue (an Event Grid batch can hold several). */
    record Accepted(List<QueuedAlert> alerts) implements IntakeResult {
        public Accepted {
            alerts = List.copyOf(alerts);
            if (alerts.isEmpty()) {
                throw new IllegalArgumentException("alerts must not be empty");
            }
        }
    }

    /** A well-formed payload that oom-responder does not act on (other resource type, other metric, out of scope). */
    record Ignored(String reason) implements IntakeResult {
        public Ignored {
            Objects.requireNonNull(reason, "reason");
        }
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
