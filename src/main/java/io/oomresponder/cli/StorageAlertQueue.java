package io.oomresponder.cli;

import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;
import io.oomresponder.pipeline.Settings;
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
final class StorageAlertQueue implements AlertQueue {

    static final String QUEUE = "alerts";
    static final String POISON_QUEUE = "alerts-poison";
    /** host.json visibilityTimeout: how long a received message stays invisible before a retry. */
    static final Duration VISIBILITY_TIMEOUT = Duration.ofSeconds(75);
    /** host.json maxPollingInterval: the longest wait between polls of an empty queue. */
    static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(StorageAlertQueue.class);

    private final QueueClient queue;
    private final QueueClient poison;
    private final Duration visibilityTimeout;

    /**
     * @param visibilityTimeout how long a received message stays invisible (the retry delay after a failure)
     */
    StorageAlertQueue(QueueClient queue, QueueClient poison, Duration visibilityTimeout) {
        this.queue = queue;
        this.poison = poison;
        this.visibilityTimeout = visibilityTimeout;
        queue.createIfNotExists();
        poison.createIfNotExists();
    }

    /** True when settings name a storage account ({@code AzureWebJobsStorage} or its identity-based form). */
    static boolean configured(Settings settings) {
        return settings.get("AzureWebJobsStorage").isPresent() || settings.get("AzureWebJobsStorage__queueServiceUri").isPresent()
                || settings.get("AzureWebJobsStorage__accountName").isPresent();
    }

    /**
     * The queues named by {@code AzureWebJobsStorage} (connection string) or
     * {@code AzureWebJobsStorage__queueServiceUri}/{@code __accountName} (managed identity,
     * {@code AzureWebJobsStorage__clientId} or {@code AZURE_CLIENT_ID} for a user-assigned one).
     */
    static StorageAlertQueue fromSettings(Settings settings) {
        return new StorageAlertQueue(client(settings, QUEUE), client(settings, POISON_QUEUE), VISIBILITY_TIMEOUT);
    }

    static QueueClient client(Settings settings, String name) {
        QueueClientBuilder b = new QueueClientBuilder().queueName(name).messageEncoding(QueueMessageEncoding.BASE64);
        Optional<String> connection = settings.get("AzureWebJobsStorage");
        if (connection.isPresent()) {
            return b.connectionString(connection.get()).buildClient();
        }
        String endpoint = settings.get("AzureWebJobsStorage__queueServiceUri")
                .orElseGet(() -> "https://" + settings.get("AzureWebJobsStorage__accountName").orElseThrow() + ".queue.core.windows.net");
        DefaultAzureCredentialBuilder credential = new DefaultAzureCredentialBuilder();
        // A user-assigned identity, as the Functions host reads it for identity-based AzureWebJobsStorage.
        settings.get("AzureWebJobsStorage__clientId").or(() -> settings.get("AZURE_CLIENT_ID"))
                .ifPresent(credential::managedIdentityClientId);
        return b.endpoint(endpoint).credential(credential.build()).buildClient();
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
                Delivery d = new Delivery(m.getBody().toString(), m.getDequeueCount(), m);
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
        QueueMessageItem m = (QueueMessageItem) delivery.handle();
        queue.deleteMessage(m.getMessageId(), m.getPopReceipt());
    }

    @Override
    public void fail(Delivery delivery) {
        if (delivery.dequeueCount() >= MAX_DEQUEUE_COUNT) {
            moveToPoison(delivery);
        }
        // Otherwise leave it: it becomes visible again after the visibility timeout and is retried.
    }

    private void moveToPoison(Delivery delivery) {
        QueueMessageItem m = (QueueMessageItem) delivery.handle();
        LOG.error("alert message {} poisoned after {} attempts; moved to {}", m.getMessageId(), delivery.dequeueCount(), POISON_QUEUE);
        poison.sendMessage(delivery.message());
        queue.deleteMessage(m.getMessageId(), m.getPopReceipt());
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
