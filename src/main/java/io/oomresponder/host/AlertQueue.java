package io.oomresponder.host;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code alerts} queue as {@code serve} sees it: in memory ({@link InMemoryAlertQueue}) or the
 * Function app's Azure Storage queue ({@link StorageAlertQueue}). Delivery is at least once; after
 * {@link #MAX_DEQUEUE_COUNT} failed attempts a message is poisoned, as host.json does for the Function.
 */
public interface AlertQueue extends AutoCloseable {

    /** Same as host.json {@code extensions.queues.maxDequeueCount}. */
    int MAX_DEQUEUE_COUNT = 5;

    /** Adds a message; false when the queue cannot take it now (full, or storage unreachable). */
    boolean offer(String message);

    /**
     * Adds a message that came through Event Grid, which may take only part of a bounded queue so that
     * alerts straight from action groups still find room (issue 26). An unbounded queue takes it as {@link #offer}.
     */
    default boolean offerFromEventGrid(String message) {
        return offer(message);
    }

    /** The next message, waiting up to {@code wait}; empty when none came. */
    Optional<Delivery> take(Duration wait) throws InterruptedException;

    /** The message was handled: remove it. */
    void complete(Delivery delivery);

    /** Handling failed: make it visible again later, or poison it after the last attempt. */
    void fail(Delivery delivery);

    /**
     * Keeps a message that is still being handled invisible for {@code visibility} more (the storage
     * queue's visibility timeout would otherwise hand it to another worker while this one works).
     * Nothing to do for the in-memory queue, which never hands out a message twice at once.
     */
    default void extend(Delivery delivery, Duration visibility) {
    }

    /** The poisoned messages, for the re-drive. */
    io.oomresponder.pipeline.PoisonQueue poison();

    /** Messages waiting (approximate for storage). */
    int depth();

    /** "memory" or "azure-storage". */
    String mode();

    @Override
    void close();

    /**
     * One received message.
     *
     * @param message      the message text (a QueuedAlert as JSON)
     * @param dequeueCount how many times it has been received, this time included
     * @param handle       queue-specific receipt (pop receipt, entry)
     */
    record Delivery(String message, long dequeueCount, Object handle) {
    }
}
