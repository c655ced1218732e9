package io.oomresponder.evidence.azure;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the HTTP calls of one gather and sums their durations; shared by the gather's threads. */
final class CallLedger {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicLong sumOfCallNanos = new AtomicLong();

    void record(long nanos) {
        calls.incrementAndGet();
        sumOfCallNanos.addAndGet(nanos);
    }

    int calls() {
        return calls.get();
    }

    long sumOfCallMs() {
        return sumOfCallNanos.get() / 1_000_000L;
    }
}
