package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import com.azure.storage.queue.models.QueueMessageItem;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code alerts} and {@code alerts-poison} in the Function app's storage account (Azurite in tests),
 * base64-encoded as the Functions host writes them.
 */
public final class StoragePoisonQueue implements PoisonQueue {

    public static final String QUEUE = "alerts";
    public static final String POISON_QUEUE = "alerts-poison";

    private final QueueClient alerts;
    private final QueueClient poison;

    public StoragePoisonQueue(QueueClient alerts, QueueClient poison) {
        this.alerts = alerts;
        this.poison = poison;
        alerts.createIfNotExists();
        poison.createIfNotExists();
    }

    /** True when settings name a storage account ({@code AzureWebJobsStorage} or its identity-based form). */
    public static boolean configured(Settings settings) {
        return settings.get("AzureWebJobsStorage").isPresent() || settings.get("AzureWebJobsStorage__queueServiceUri").isPresent()
                || settings.get("AzureWebJobsStorage__accountName").isPresent();
    }

    public static StoragePoisonQueue fromSettings(Settings settings) {
        return new StoragePoisonQueue(client(settings, QUEUE), client(settings, POISON_QUEUE));
    }

    /**
     * A queue client from {@code AzureWebJobsStorage} (connection string) or
     * {@code AzureWebJobsStorage__queueServiceUri}/{@code __accountName} (managed identity,
     * {@code AzureWebJobsStorage__clientId} or {@code AZURE_CLIENT_ID} for a user-assigned one).
     */
    public static QueueClient client(Settings settings, String name) {
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
    public List<Poisoned> receive(int max, Duration hideFor) {
        List<Poisoned> out = new ArrayList<>();
        for (QueueMessageItem m : poison.receiveMessages(Math.min(32, max), hideFor, null, null)) {
            Instant at = m.getInsertionTime() == null ? Instant.now() : m.getInsertionTime().toInstant();
            out.add(new Poisoned(m.getBody().toString(), at, new Receipt(m.getMessageId(), m.getPopReceipt())));
        }
        return out;
    }

    @Override
    public void requeue(String text) {
        alerts.sendMessage(text);
    }

    @Override
    public void delete(Poisoned message) {
        Receipt r = (Receipt) message.handle();
        poison.deleteMessage(r.id(), r.popReceipt());
    }

    @Override
    public void hide(Poisoned message, Duration hideFor) {
        Receipt r = (Receipt) message.handle();
        poison.updateMessage(r.id(), r.popReceipt(), null, hideFor);
    }

    private record Receipt(String id, String popReceipt) {
    }
}
