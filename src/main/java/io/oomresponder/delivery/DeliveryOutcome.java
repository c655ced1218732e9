package io.oomresponder.delivery;

import java.util.List;

/**
 * What happened to one note across its sinks: the receipts of the sinks that took it and the
 * failures (after retries) of those that did not. The caller stores each failure for redelivery.
 */
public record DeliveryOutcome(List<Receipt> delivered, List<DeliveryException> failed) {

    public DeliveryOutcome {
        delivered = List.copyOf(delivered);
        failed = List.copyOf(failed);
    }

    public boolean complete() {
        return failed.isEmpty();
    }

    /** Throws the first failure (others suppressed) when any sink failed. */
    public void throwIfFailed() {
        if (!failed.isEmpty()) {
            DeliveryException first = failed.get(0);
            failed.subList(1, failed.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
