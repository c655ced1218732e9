package io.oomresponder.pipeline;

/**
 * Another delivery of the same alert holds its claim right now. The queue should retry this
 * message later: by then the other delivery has completed (this one becomes a duplicate) or died
 * and its claim lease has run out (this one takes over). Dropping it instead would lose the alert
 * whenever the process holding the claim was killed mid-alert.
 */
public final class AlertInProgressException extends RuntimeException {

    private final String dedupeKey;

    public AlertInProgressException(String dedupeKey) {
        super("alert " + dedupeKey + " is being handled by another delivery; retry after its claim lease");
        this.dedupeKey = dedupeKey;
    }

    public String dedupeKey() {
        return dedupeKey;
    }
}
