package io.oomresponder.host;

import io.netty.util.concurrent.EventExecutor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A virtual clock for {@code serve}'s connection deadlines: nothing passes until the test calls
 * {@link #advance}, which then runs every deadline that has come due, on its connection's event
 * loop, and waits for it. A slow machine can only make such a test wait longer, never see a deadline
 * pass early or late.
 */
public final class VirtualDeadlines implements LocalServer.DeadlineTimer {

    private record Due(long atNanos, EventExecutor loop, Runnable task, AtomicBoolean cancelled) {
    }

    private final List<Due> pending = new ArrayList<>();
    private long nowNanos;
    private int scheduled;

    @Override
    public synchronized Runnable schedule(EventExecutor loop, Runnable task, Duration after) {
        Due due = new Due(nowNanos + after.toNanos(), loop, task, new AtomicBoolean());
        pending.add(due);
        scheduled++;
        notifyAll();
        return () -> due.cancelled().set(true);
    }

    /** Lets {@code d} pass: runs (on their event loops) the deadlines now due and not cancelled. */
    public void advance(Duration d) throws Exception {
        List<Due> due = new ArrayList<>();
        synchronized (this) {
            nowNanos += d.toNanos();
            for (var it = pending.iterator(); it.hasNext(); ) {
                Due x = it.next();
                if (x.atNanos() <= nowNanos) {
                    it.remove();
                    due.add(x);
                }
            }
        }
        for (Due x : due) {
            x.loop().submit(() -> {
                if (!x.cancelled().get()) {
                    x.task().run();
                }
            }).get(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until {@code n} deadlines have been set in all (connections opened, answers sent, headers in). */
    public synchronized void awaitScheduled(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (scheduled < n) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + scheduled + " of " + n + " deadlines were set in 30 s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
