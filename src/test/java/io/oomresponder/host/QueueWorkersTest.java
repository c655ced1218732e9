package io.oomresponder.host;

import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.ResponseOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The workers' visibility renewals, on a queue that records them (waits on counts, asserts no durations). */
class QueueWorkersTest {

    /** An in-memory queue that records each renewal and when it was asked for. */
    private static final class RecordingQueue implements AlertQueue {
        final InMemoryAlertQueue inner = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        final List<Duration> renewals = new CopyOnWriteArrayList<>();

        @Override public boolean offer(String message) { return inner.offer(message); }
        @Override public java.util.Optional<Delivery> take(Duration wait) throws InterruptedException { return inner.take(wait); }
        @Override public void complete(Delivery delivery) { inner.complete(delivery); }
        @Override public void fail(Delivery delivery) { inner.fail(delivery); }
        @Override public void extend(Delivery delivery, Duration visibility) { renewals.add(visibility); }
        @Override public io.oomresponder.pipeline.PoisonQueue poison() { return inner.poison(); }
        @Override public int depth() { return inner.depth(); }
        @Override public String mode() { return "recording"; }
        @Override public void close() { inner.close(); }
    }

    @Test
    void aHandlerThatOutlastsTheVisibilityKeepsRenewingItUntilItFinishes() throws Exception {
        RecordingQueue queue = new RecordingQueue();
        queue.offer(QueuedAlert.of(AlertSamples.signal(), Instant.parse("2026-11-27T09:00:00Z")).toJson());
        Duration visibility = Duration.ofMillis(300);
        CountDownLatch finish = new CountDownLatch(1);
        try (QueueWorkers workers = new QueueWorkers(queue, alert -> {
            try {
                finish.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "test");
        }, 1, visibility, Duration.ofMinutes(4))) {
            workers.start();
            // Renewed every third of the visibility with a fixed delay between renewals, so the fourth
            // comes after more than the whole visibility has passed: the handler outlasted it, still hidden.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (workers.extensions() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(workers.extensions()).isGreaterThanOrEqualTo(4);
            assertThat(queue.renewals).allSatisfy(v -> assertThat(v).isEqualTo(visibility));
            finish.countDown();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (workers.handled() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(workers.handled()).isEqualTo(1);
        }
    }
}
