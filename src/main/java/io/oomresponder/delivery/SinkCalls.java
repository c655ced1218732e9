package io.oomresponder.delivery;

import io.oomresponder.note.RenderedNote;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Calls the sinks of one note in parallel, each within one deadline, so that a throttling or
 * hanging sink delays nobody else. A sink that has not answered by the deadline counts as a
 * retryable failure (the caller parks the note for it) and its call is interrupted; if it
 * answers anyway, {@code onDelivered} still runs, so the success is recorded and the redelivery
 * skips it.
 */
public final class SinkCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkCalls.class);

    /**
     * When a note's budget for its sinks runs out. Production waits real time; a test passes one
     * that runs out when the test says, so what it asserts never depends on how busy the machine is.
     */
    @FunctionalInterface
    public interface Deadline {
        /** Runs out after the budget, on a timer thread. */
        Deadline REAL_TIME = (budget, calls) -> new CompletableFuture<Void>().completeOnTimeout(null, budget.toNanos(), TimeUnit.NANOSECONDS);

        /**
         * @param budget how long the sinks have
         * @param calls  one stage per sink, in the order given, each done when that sink has answered
         *               (and its success was recorded) or failed
         * @return a stage that completes when the budget has run out
         */
        CompletionStage<?> expiry(Duration budget, List<CompletableFuture<Void>> calls);
    }

    private final ExecutorService pool;
    private final Deadline deadline;

    public SinkCalls() {
        this(Deadline.REAL_TIME);
    }

    /** @param deadline when the budget runs out ({@link Deadline#REAL_TIME} but in tests) */
    public SinkCalls(Deadline deadline) {
        this.deadline = java.util.Objects.requireNonNull(deadline, "deadline");
        AtomicInteger n = new AtomicInteger();
        // Unbounded on purpose: a hung call holds its thread only until the sink's own HTTP timeout.
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sink-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * What one sink did.
     *
     * @param sink    the notifier
     * @param receipt its receipt, or null when it failed
     * @param failure the failure, or null when it took the note
     */
    public record Result(Notifier sink, Receipt receipt, DeliveryException failure) {
        public boolean delivered() {
            return receipt != null;
        }
    }

    /**
     * Sends {@code note} to every sink at once and waits at most {@code budget} for all of them.
     *
     * @param onDelivered runs on the sink's thread right after it took the note (before this method
     *                    returns, or later for a sink that answered after the deadline)
     * @return one result per sink, in the order given
     */
    public List<Result> sendAll(RenderedNote note, List<Notifier> sinks, Duration budget, BiConsumer<Notifier, Receipt> onDelivered) {
        List<Future<Receipt>> futures = new ArrayList<>();
        List<CompletableFuture<Void>> finished = new ArrayList<>();
        for (Notifier sink : sinks) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            finished.add(done);
            futures.add(pool.submit(() -> {
                try {
                    Receipt receipt = sink.send(note, budget);
                    // A sink that answered after the deadline was interrupted: clear the flag while its success is
                    // recorded, or the store's own I/O would fail on it and the redelivery would send the note again.
                    boolean interrupted = Thread.interrupted();
                    try {
                        onDelivered.accept(sink, receipt);
                    } catch (RuntimeException e) {
                        LOG.warn("could not record that {} took the note for alert {}: {}", sink.name(), note.alertId(), e.toString());
                    } finally {
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return receipt;
                } finally {
                    done.complete(null);
                }
            }));
        }
        CompletableFuture<Void> allDone = CompletableFuture.allOf(finished.toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(allDone, deadline.expiry(budget, List.copyOf(finished)).toCompletableFuture()).get();
        } catch (ExecutionException e) {
            // The deadline's own failure counts as running out.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            Notifier sink = sinks.get(i);
            Future<Receipt> call = futures.get(i);
            if (!finished.get(i).isDone()) {
                // Interrupted, so that its retry loop does not send again after the note was parked; an
                // answer that arrives anyway still runs onDelivered, and the redelivery then skips the sink.
                call.cancel(true);
                results.add(new Result(sink, null, Thread.currentThread().isInterrupted()
                        ? new DeliveryException(sink.name(), DeliveryException.Reason.OTHER, true, null,
                                "interrupted while sending the note for alert " + note.alertId() + " to " + sink.name(), null)
                        : new DeliveryException(sink.name(), DeliveryException.Reason.NETWORK, true, null,
                                "sink " + sink.name() + " did not answer within " + budget.toSeconds() + " s for alert " + note.alertId(), null)));
                continue;
            }
            try {
                results.add(new Result(sink, call.get(), null));
            } catch (ExecutionException e) {
                results.add(new Result(sink, null, asDeliveryFailure(sink, note, e.getCause())));
            } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                Thread.currentThread().interrupt();
                results.add(new Result(sink, null, new DeliveryException(sink.name(), DeliveryException.Reason.OTHER, true, null,
                        "interrupted while sending the note for alert " + note.alertId() + " to " + sink.name(), e)));
            }
        }
        return results;
    }

    private static DeliveryException asDeliveryFailure(Notifier sink, RenderedNote note, Throwable cause) {
        if (cause instanceof DeliveryException d) {
            return d;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        // A bug in a sink must not lose the note: it becomes a retryable failure of that sink.
        LOG.warn("sink {} failed unexpectedly for alert {}: {}", sink.name(), note.alertId(), cause == null ? "?" : cause.getClass().getSimpleName());
        return new DeliveryException(sink.name(), DeliveryException.Reason.OTHER, true, null,
                "sink " + sink.name() + " failed unexpectedly for alert " + note.alertId() + " ("
                        + (cause == null ? "?" : cause.getClass().getSimpleName()) + ")", cause);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
