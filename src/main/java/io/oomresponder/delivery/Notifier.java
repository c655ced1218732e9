package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;

/**
 * One sink (Teams, Azure DevOps, Jira, ServiceNow, PagerDuty, webhook, Event Grid, file). A
 * notifier sends once: it does not retry, dedupe or template. It is idempotent by alert id (a
 * second send of the same alert updates, it does not duplicate).
 */
public interface Notifier {

    /** Short sink name for logs and receipts, e.g. "teams". */
    String name();

    /**
     * Sends the note.
     *
     * @throws DeliveryException when the sink refused or could not be reached; it says whether
     *                           a retry may help
     */
    Receipt send(RenderedNote note);

    /**
     * Sends the note within {@code budget}: a wrapper that waits between attempts
     * ({@link RetryingNotifier}) gives up instead of waiting past it, and says in its
     * {@link DeliveryException#retryAfter()} when the sink wants to be called again. A plain
     * notifier makes one attempt.
     */
    default Receipt send(RenderedNote note, java.time.Duration budget) {
        return send(note);
    }
}
