package io.oomresponder.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The {@code alerts-poison} queue as the re-drive sees it: the Function app's storage queue
 * ({@link StoragePoisonQueue}) or {@code serve}'s in-memory one.
 */
public interface PoisonQueue {

    /**
     * One poisoned message.
     *
     * @param text       the message as it was on {@code alerts}
     * @param poisonedAt when it was put on {@code alerts-poison}
     * @param handle     queue-specific (message id and pop receipt)
     */
    record Poisoned(String text, Instant poisonedAt, Object handle) {
    }

    /** Up to {@code max} poisoned messages, hidden from other readers for {@code hideFor}. */
    List<Poisoned> receive(int max, Duration hideFor);

    /** Puts a message back on {@code alerts}. */
    void requeue(String text);

    /** Removes a received message from {@code alerts-poison}. */
    void delete(Poisoned message);

    /** Leaves a received message on {@code alerts-poison}, invisible for {@code hideFor}. */
    void hide(Poisoned message, Duration hideFor);
}
