package io.oomresponder.simulator.azure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which faults and latency the simulator applies, per endpoint. Thread-safe; tests change it while
 * the server runs. One-shot faults ({@link #failNext}) are used up in order before the standing
 * fault ({@link #failAlways}) applies.
 */
public final class FaultPlan {

    private final Map<FakeEndpoint, Deque<Fault>> next = new EnumMap<>(FakeEndpoint.class);
    private final Map<FakeEndpoint, Fault> always = new EnumMap<>(FakeEndpoint.class);
    private final Map<FakeEndpoint, Duration> latency = new EnumMap<>(FakeEndpoint.class);
    private Duration globalLatency = Duration.ZERO;

    /** The next {@code times} requests to this endpoint get {@code fault}. */
    public synchronized FaultPlan failNext(FakeEndpoint endpoint, Fault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        Deque<Fault> queue = next.computeIfAbsent(endpoint, e -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
        return this;
    }

    /** Every request to this endpoint gets {@code fault} until {@link #clear()}. */
    public synchronized FaultPlan failAlways(FakeEndpoint endpoint, Fault fault) {
        always.put(endpoint, Objects.requireNonNull(fault, "fault"));
        return this;
    }

    /** Latency added before every answer of every endpoint (the demo's {@code --latency-ms}). */
    public synchronized FaultPlan latency(Duration perResponse) {
        globalLatency = requireNonNegative(perResponse);
        return this;
    }

    /** Latency added before every answer of this endpoint, on top of the global latency. */
    public synchronized FaultPlan latency(FakeEndpoint endpoint, Duration perResponse) {
        latency.put(endpoint, requireNonNegative(perResponse));
        return this;
    }

    /** Removes all faults and latency. */
    public synchronized void clear() {
        next.clear();
        always.clear();
        latency.clear();
        globalLatency = Duration.ZERO;
    }

    synchronized Optional<Fault> take(FakeEndpoint endpoint) {
        Deque<Fault> queue = next.get(endpoint);
        if (queue != null && !queue.isEmpty()) {
            return Optional.of(queue.poll());
        }
        return Optional.ofNullable(always.get(endpoint));
    }

    synchronized Duration latencyFor(FakeEndpoint endpoint) {
        return globalLatency.plus(latency.getOrDefault(endpoint, Duration.ZERO));
    }

    private static Duration requireNonNegative(Duration d) {
        Objects.requireNonNull(d, "latency");
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + d);
        }
        return d;
    }
}
