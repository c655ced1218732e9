package io.oomresponder.host;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.models.PeekedMessageItem;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.config.Settings;
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
public class StorageAlertQueueTest {

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

        Optional<AlertQueue.Delivery> d = q.take(Duration.ofSeconds(60));
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
            AlertQueue.Delivery d = q.take(Duration.ofSeconds(60)).orElseThrow();
            assertThat(d.dequeueCount()).isEqualTo(attempt);
            q.fail(d);
        }

        assertThat(q.take(Duration.ofMillis(1500))).isEmpty();
        PeekedMessageItem poisoned = raw(azurite, StorageAlertQueue.POISON_QUEUE).peekMessage();
        assertThat(new String(Base64.getDecoder().decode(poisoned.getBody().toString()), StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void aMessageRenewedWhileItIsHandledStaysHiddenAndIsDeletedWithItsLatestPopReceipt(AzuriteExtension.Azurite azurite) throws Exception {
        raw(azurite, StorageAlertQueue.QUEUE).deleteIfExists();
        // A visibility no step of this test comes near, renewed every 50 ms: each renewal changes the pop
        // receipt, and only the latest one deletes the message. (That renewals outlast the visibility in
        // real time is the renewal schedule's business, see QueueWorkersTest; no real time is raced here.)
        Duration visibility = Duration.ofMinutes(2);
        StorageAlertQueue q = queue(azurite, visibility);
        StorageAlertQueue other = queue(azurite, visibility);
        q.offer(message);
        java.util.concurrent.CountDownLatch working = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
        try (QueueWorkers workers = new QueueWorkers(q, alert -> {
            handled.incrementAndGet();
            working.countDown();
            try {
                finish.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new io.oomresponder.pipeline.ResponseOutcome(io.oomresponder.pipeline.ResponseOutcome.Status.DELIVERED, "test");
        }, 1, visibility, Duration.ofMinutes(4), Duration.ofMillis(50))) {
            workers.start();
            assertThat(working.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (workers.extensions() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(workers.extensions()).isGreaterThanOrEqualTo(4);
            assertThat(other.take(Duration.ofMillis(300))).as("still hidden from other workers").isEmpty();

            finish.countDown();
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (workers.handled() < 1 && workers.failed() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(workers.handled()).as("deleted with the latest pop receipt").isEqualTo(1);
            assertThat(workers.failed()).isZero();
        }
        assertThat(q.depth()).isZero();
        assertThat(handled.get()).isEqualTo(1);
    }
}
