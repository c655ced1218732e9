package io.oomresponder.intake;

/**
 * A payload that cannot be an alert oom-responder understands: not JSON, not the common alert
 * schema, a required field missing or of the wrong type, a malformed target id. The message is
 * written for the sender and never echoes more than a short, cleaned fragment of the input.
 */
public final class InvalidAlertException extends RuntimeException {

    private final String field;

    /**
     * @param field JSON path of the offending field (e.g. {@code data.essentials.alertId}), or {@code body}
     * @param message what is wrong, for the sender
     */
    public InvalidAlertException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** JSON path of the offending field, or {@code body} when the whole body is at fault. */
    public String field() {
        return field;
    }
}
