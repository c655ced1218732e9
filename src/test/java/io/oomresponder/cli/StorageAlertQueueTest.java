package io.oomresponder.cli;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.Settings;
import io.oomresponder.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve} on the Function app's storage queue, with the real azure-storage-queue client against Azurite. */
@ExtendWith(AzuriteExtension.class)
class StorageAlertQueueTest {

    final String message = QueuedAlert.of(AlertSamples.signal(), Instant.parse("2026-11-27T09:00:00Z")).toJson();

    static StorageAlertQueue queue(AzuriteExtension.Azurite azurite, Duration visibility) {
        Settings settings = new Settings(Map.of("AzureWebJobsStorage", azurite.connectionString()));
        return new StorageAlertQueue(StorageAlertQueue.client(settings, StorageAlertQueue.QUEUE),
                StorageAlertQueue.client(settings, StorageAlertQueue.POISON_QUEUE), visibility);
    }

    static QueueClient raw(AzuriteExtension.Azurite azurite, String name) {
        return new QueueClientBuilder().connectionString(azurite.connectionString()).queueName(name).buildClient();
    }

    @Test
    void messagesAreBase64EncodedAsTheFunctionsHostExpectsAndDeletedWhenHandled(AzuriteExtension.Azurite azurite) throws Exception {
        raw(azurite, StorageAlertQueue.QUEUE).deleteIfExists();
        StorageAlertQueue q = queue(azurite, Duration.ofSeconds(30));

        assertThat(q.offer(message)).isTrue();
        PeekedMessageItem peeked = raw(azurite, StorageAlertQueue.QUEUE).peekMessage();
        assertThat(new String(Base64.getDecoder().decode(peeked.getBody().toString()), StandardCharsets.UTF_8)).isEqualTo(message);

        Optional<AlertQueue.Delivery> d = q.take(Duration.ofSeconds(5));
        assertThat(d).isPresent();
        assertThat(d.get().message()).isEqualTo(message);
        assertThat(d.get().dequeueCount()).isEqualTo(1);
        q.complete(d.get());
        assertThat(q.depth()).isZero();
        assertThat(q.mode()).isEqualTo("azure-storage");
    }

    @Test
    void aMessageFailingFiveTimesMovesToAlertsPoison(AzuriteExtension.Azurite azurite) throws Exception {
        raw(azurite, StorageAlertQueue.QUEUE).deleteIfExists();
        raw(azurite, StorageAlertQueue.POISON_QUEUE).deleteIfExists();
        StorageAlertQueue q = queue(azurite, Duration.ofSeconds(1));
        q.offer(message);

        for (int attempt = 1; attempt <= AlertQueue.MAX_DEQUEUE_COUNT; attempt++) {
            AlertQueue.Delivery d = q.take(Duration.ofSeconds(10)).orElseThrow();
            assertThat(d.dequeueCount()).isEqualTo(attempt);
            q.fail(d);
        }

        assertThat(q.take(Duration.ofMillis(1500))).isEmpty();
        PeekedMessageItem poisoned = raw(azurite, StorageAlertQueue.POISON_QUEUE).peekMessage();
        assertThat(new String(Base64.getDecoder().decode(poisoned.getBody().toString()), StandardCharsets.UTF_8)).isEqualTo(message);
    }
}
