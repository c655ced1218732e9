package io.oomresponder.host;

import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code serve}'s stand-in for the {@code RespondToAlert} queue trigger: a few threads taking
 * messages and calling the same {@link Responder}. A failure leaves the message to be retried and
 * finally poisoned by the queue, as the Functions host does.
 */
public final class QueueWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWorkers.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(500);

    private final AlertQueue queue;
    private final Function<QueuedAlert, ResponseOutcome> responder;
    /** Where the intake's receipts of alerts it did not queue go (the reconcile's record); dropped unless set. */
    private volatile java.util.function.Consumer<List<io.oomresponder.intake.IntakeReceipt>> receipts = r -> { };
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private final Duration visibility;
    private final Duration handlerBudget;
    private final long renewEveryMs;
    private final AtomicLong extensions = new AtomicLong();
    private final ScheduledExecutorService extender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "alerts-visibility");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param responder what handles one alert, normally {@link Responder#respond}; an exception means "retry"
     */
    public QueueWorkers(AlertQueue queue, Function<QueuedAlert, ResponseOutcome> responder, int count) {
        this(queue, responder, count, StorageAlertQueue.VISIBILITY_TIMEOUT, io.oomresponder.pipeline.ClaimTiming.DEFAULT_HANDLER_BUDGET);
    }

    /**
     * @param visibility    how long a received message stays invisible; renewed every third of it while
     *                      the handler works, as the Functions host keeps a running message invisible
     * @param handlerBudget renewals stop after this (a hung handler lets its message come back)
     */
    public QueueWorkers(AlertQueue queue, Function<QueuedAlert, ResponseOutcome> responder, int count, Duration visibility, Duration handlerBudget) {
        this(queue, responder, count, visibility, handlerBudget, visibility.dividedBy(3));
    }

    /**
     * As above, renewing every {@code renewEvery} instead of every third of the visibility (tests
     * renew often against a long visibility, so a busy machine cannot let the message reappear).
     */
    public QueueWorkers(AlertQueue queue, Function<QueuedAlert, ResponseOutcome> responder, int count, Duration visibility, Duration handlerBudget,
                        Duration renewEvery) {
        this.renewEveryMs = Math.max(1, renewEvery.toMillis());
        this.queue = queue;
        this.responder = responder;
        this.visibility = visibility;
        this.handlerBudget = handlerBudget;
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(this::loop, "alerts-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts the workers; each takes messages until {@link #close()}. */
    public void start() {
        threads.forEach(Thread::start);
    }

    /** Messages handled successfully so far. */
    long handled() {
        return handled.get();
    }

    /** Attempts that failed so far. */
    long failed() {
        return failed.get();
    }

    private void loop() {
        while (running) {
            Optional<AlertQueue.Delivery> next;
            try {
                next = queue.take(POLL_WAIT);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("could not read the alert queue: {}", e.getMessage());
                pause();
                continue;
            }
            next.ifPresent(this::handle);
        }
    }

    /** Visibility extensions made so far (tests wait on it instead of sleeping). */
    long extensions() {
        return extensions.get();
    }

    private void handle(AlertQueue.Delivery delivery) {
        long every = renewEveryMs;
        long stopAt = System.nanoTime() + handlerBudget.toNanos();
        ScheduledFuture<?> keepHidden = extender.scheduleWithFixedDelay(() -> {
            if (System.nanoTime() > stopAt) {
                return; // past the budget: a hung handler lets its message come back to another worker
            }
            try {
                queue.extend(delivery, visibility);
                extensions.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("could not extend the visibility of an alert being handled: {}", e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            handleNow(delivery);
        } finally {
            keepHidden.cancel(false);
        }
    }

    /** Records the intake's receipts of alerts it joined, rate-limited or ignored (messages of that kind run no pipeline). */
    public QueueWorkers withReceipts(java.util.function.Consumer<List<io.oomresponder.intake.IntakeReceipt>> sink) {
        this.receipts = java.util.Objects.requireNonNull(sink, "sink");
        return this;
    }

    private void handleNow(AlertQueue.Delivery delivery) {
        try {
            var intakeReceipts = io.oomresponder.intake.IntakeReceipt.fromMessage(delivery.message());
            if (intakeReceipts.isPresent()) {
                receipts.accept(intakeReceipts.get());
                queue.complete(delivery);
                return;
            }
            QueuedAlert alert = QueuedAlert.fromJson(delivery.message());
            ResponseOutcome outcome = responder.apply(alert);
            LOG.info("{}: {} {}", alert.dedupeKey(), outcome.status(), outcome.detail());
            queue.complete(delivery);
            handled.incrementAndGet();
        } catch (RuntimeException e) {
            failed.incrementAndGet();
            LOG.warn("alert attempt {} of {} failed: {}", delivery.dequeueCount(), AlertQueue.MAX_DEQUEUE_COUNT, e.toString());
            try {
                queue.fail(delivery);
            } catch (RuntimeException again) {
                LOG.warn("could not return a failed alert to the queue: {}", again.getMessage());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(POLL_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        extender.shutdownNow();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
