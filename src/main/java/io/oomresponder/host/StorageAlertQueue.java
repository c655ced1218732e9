package io.oomresponder.host;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import io.oomresponder.pipeline.ClaimTiming;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.StoragePoisonQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;

/**
 * The Function app's own {@code alerts} queue in Azure Storage (or Azurite), so {@code serve} and the
 * Function app can share work. Messages are base64-encoded, as the Functions host writes and expects
 * them; a message received more than {@link #MAX_DEQUEUE_COUNT} times goes to {@code alerts-poison},
 * as the host does.
 */
public final class StorageAlertQueue implements AlertQueue {

    static final String QUEUE = StoragePoisonQueue.QUEUE;
    static final String POISON_QUEUE = StoragePoisonQueue.POISON_QUEUE;
    /** host.json visibilityTimeout: how long a received message stays invisible before a retry. */
    static final Duration VISIBILITY_TIMEOUT = ClaimTiming.HOST_VISIBILITY_TIMEOUT;
    /** host.json maxPollingInterval: the longest wait between polls of an empty queue. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(StorageAlertQueue.class);

    private final QueueClient queue;
    private final QueueClient poison;
    private final Duration visibilityTimeout;
    private final StoragePoisonQueue poisonQueue;

    /**
     * @param visibilityTimeout how long a received message stays invisible (the retry delay after a failure)
     */
    StorageAlertQueue(QueueClient queue, QueueClient poison, Duration visibilityTimeout) {
        this.queue = queue;
        this.poison = poison;
        this.visibilityTimeout = visibilityTimeout;
        this.poisonQueue = new StoragePoisonQueue(queue, poison);
    }

    /** True when settings name a storage account ({@code AzureWebJobsStorage} or its identity-based form). */
    public static boolean configured(Settings settings) {
        return StoragePoisonQueue.configured(settings);
    }

    /**
     * The queues named by {@code AzureWebJobsStorage} (connection string) or
     * {@code AzureWebJobsStorage__queueServiceUri}/{@code __accountName} (managed identity,
     * {@code AzureWebJobsStorage__clientId} or {@code AZURE_CLIENT_ID} for a user-assigned one).
     */
    public static StorageAlertQueue fromSettings(Settings settings, Duration visibilityTimeout) {
        return new StorageAlertQueue(client(settings, QUEUE), client(settings, POISON_QUEUE), visibilityTimeout);
    }

    static QueueClient client(Settings settings, String name) {
        return StoragePoisonQueue.client(settings, name);
    }

    @Override
    public boolean offer(String message) {
        try {
            queue.sendMessage(message);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not put an alert on the storage queue: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public Optional<Delivery> take(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Iterator<QueueMessageItem> it = queue.receiveMessages(1, visibilityTimeout, null, null).iterator();
            if (it.hasNext()) {
                QueueMessageItem m = it.next();
                Delivery d = new Delivery(m.getBody().toString(), m.getDequeueCount(), new Receipt(m.getMessageId(), m.getPopReceipt()));
                if (m.getDequeueCount() > MAX_DEQUEUE_COUNT) {
                    // Received too often (e.g. the process died while handling it): poison before handling, like the host.
                    moveToPoison(d);
                    continue;
                }
                return Optional.of(d);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, MAX_POLL_INTERVAL.toMillis()));
        }
    }

    @Override
    public void complete(Delivery delivery) {
        Receipt r = (Receipt) delivery.handle();
        // Under the receipt's lock: a renewal in flight (on the workers' renewal thread) changes the pop
        // receipt, and a delete with the old one fails "pop receipt did not match" (found under a CPU hog).
        synchronized (r) {
            r.done = true;
            queue.deleteMessage(r.id, r.popReceipt);
        }
    }

    @Override
    public void extend(Delivery delivery, Duration visibility) {
        Receipt r = (Receipt) delivery.handle();
        synchronized (r) {
            if (r.done) {
                return; // already deleted (or poisoned): nothing left to keep hidden
            }
            // Each update returns a new pop receipt; the next update and the delete need it.
            r.popReceipt = queue.updateMessage(r.id, r.popReceipt, null, visibility).getPopReceipt();
        }
    }

    @Override
    public io.oomresponder.pipeline.PoisonQueue poison() {
        return poisonQueue;
    }

    @Override
    public void fail(Delivery delivery) {
        if (delivery.dequeueCount() >= MAX_DEQUEUE_COUNT) {
            moveToPoison(delivery);
        }
        // Otherwise leave it: it becomes visible again after the visibility timeout and is retried.
    }

    private void moveToPoison(Delivery delivery) {
        Receipt r = (Receipt) delivery.handle();
        LOG.error("alert message {} poisoned after {} attempts; moved to {}", r.id, delivery.dequeueCount(), POISON_QUEUE);
        poison.sendMessage(delivery.message());
        synchronized (r) {
            r.done = true;
            queue.deleteMessage(r.id, r.popReceipt);
        }
    }

    /** Message id and the latest pop receipt (it changes with every visibility update). */
    private static final class Receipt {
        final String id;
        volatile String popReceipt;
        /** Deleted or poisoned: renewals stop (guarded by the receipt's lock). */
        boolean done;

        Receipt(String id, String popReceipt) {
            this.id = id;
            this.popReceipt = popReceipt;
        }
    }

    @Override
    public int depth() {
        try {
            return queue.getProperties().getApproximateMessagesCount();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String mode() {
        return "azure-storage";
    }

    @Override
    public void close() {
        // The SDK clients hold no resources that need closing.
    }
}
