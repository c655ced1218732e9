package io.oomresponder.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded in-process queue for {@code serve} without storage. A full queue refuses new messages
 * (the server answers 503 with Retry-After, and action groups retry); a failed message comes back
 * after {@code retryDelay} (like a storage queue's visibility timeout) and is poisoned, logged and
 * kept in a small list after {@link #MAX_DEQUEUE_COUNT} attempts. Nothing survives a restart.
 */
public final class InMemoryAlertQueue implements AlertQueue {

    /** Default capacity: far above an alert storm's 500 alerts a minute, far below a memory problem. */
    public static final int DEFAULT_CAPACITY = 1000;
    /**
     * Share of the capacity Event Grid deliveries may fill (issue 26): the rest is kept for action groups,
     * which stop calling for 15 minutes after a 503, while Event Grid keeps retrying for 24 hours.
     */
    public static final double EVENT_GRID_SHARE = 0.8;
    /** host.json visibilityTimeout: a failed message is retried after this. */
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(75);
    private static final int MAX_POISON_KEPT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryAlertQueue.class);

    private record Entry(String message, int dequeueCount) {
    }

    private final LinkedBlockingQueue<Entry> queue;
    private final Duration retryDelay;
    private final int eventGridLimit;
    private final ScheduledExecutorService retries;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Deque<io.oomresponder.pipeline.PoisonQueue.Poisoned> poisoned = new ArrayDeque<>();

    /** A queue of at most {@code capacity} messages; a failed one is offered again after {@code retryDelay}. */
    public InMemoryAlertQueue(int capacity, Duration retryDelay) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.eventGridLimit = (int) Math.floor(capacity * EVENT_GRID_SHARE);
        this.retryDelay = retryDelay;
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "alerts-retry");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean offer(String message) {
        return queue.offer(new Entry(message, 0));
    }

    /** Takes an Event Grid message only while the queue is under {@link #EVENT_GRID_SHARE} of its capacity. */
    @Override
    public boolean offerFromEventGrid(String message) {
        // Checked, then offered: two racing requests may overshoot by a message or two, never past the capacity.
        return queue.size() < eventGridLimit && offer(message);
    }

    @Override
    public Optional<Delivery> take(Duration wait) throws InterruptedException {
        Entry e = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            return Optional.empty();
        }
        inFlight.incrementAndGet();
        Entry received = new Entry(e.message(), e.dequeueCount() + 1);
        return Optional.of(new Delivery(received.message(), received.dequeueCount(), received));
    }

    @Override
    public void complete(Delivery delivery) {
        inFlight.decrementAndGet();
    }

    @Override
    public void fail(Delivery delivery) {
        inFlight.decrementAndGet();
        Entry e = (Entry) delivery.handle();
        if (e.dequeueCount() >= MAX_DEQUEUE_COUNT) {
            poison(e.message(), "failed " + e.dequeueCount() + " times");
            return;
        }
        retries.schedule(() -> {
            // A retry waits for room rather than being dropped: it was accepted with a 202 already.
            try {
                queue.put(e);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                poison(e.message(), "server stopping");
            }
        }, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void poison(String message, String why) {
        LOG.error("alert message poisoned ({}); it will not be retried: {}", why, message.length() > 300 ? message.substring(0, 300) + "..." : message);
        poisoned.addLast(new io.oomresponder.pipeline.PoisonQueue.Poisoned(message, java.time.Instant.now(), null));
        while (poisoned.size() > MAX_POISON_KEPT) {
            io.oomresponder.pipeline.PoisonQueue.Poisoned dropped = poisoned.removeFirst();
            LOG.error("poisoned alert dropped: more than {} are waiting for re-drive: {}", MAX_POISON_KEPT, abbreviate(dropped.text()));
        }
    }

    private static String abbreviate(String message) {
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    /** Poisoned messages still held (newest last), for tests and the health answer. */
    synchronized List<String> poisoned() {
        return poisoned.stream().map(io.oomresponder.pipeline.PoisonQueue.Poisoned::text).toList();
    }

    /**
     * The poisoned messages for the re-drive. Receiving takes them out of the list (as a storage
     * queue hides them); {@code hide} puts one back; {@code requeue} offers it to the queue again.
     */
    @Override
    public io.oomresponder.pipeline.PoisonQueue poison() {
        return new io.oomresponder.pipeline.PoisonQueue() {
            @Override
            public List<Poisoned> receive(int max, Duration hideFor) {
                synchronized (InMemoryAlertQueue.this) {
                    List<Poisoned> out = new ArrayList<>();
                    while (out.size() < max && !poisoned.isEmpty()) {
                        out.add(poisoned.removeFirst());
                    }
                    return out;
                }
            }

            @Override
            public void requeue(String text) {
                if (!queue.offer(new Entry(text, 0))) {
                    throw new IllegalStateException("the alert queue is full; the poisoned alert stays for the next re-drive");
                }
            }

            @Override
            public void delete(Poisoned message) {
                // Already taken out by receive.
            }

            @Override
            public void hide(Poisoned message, Duration hideFor) {
                synchronized (InMemoryAlertQueue.this) {
                    poisoned.addLast(message);
                }
            }
        };
    }

    @Override
    public int depth() {
        return queue.size();
    }

    @Override
    public String mode() {
        return "memory";
    }

    @Override
    public void close() {
        retries.shutdownNow();
        int lost = queue.size() + inFlight.get();
        if (lost > 0) {
            LOG.warn("{} queued alert(s) dropped at shutdown (in-memory queue)", lost);
        }
    }
}
