package io.oomresponder.host;

import io.oomresponder.config.Settings;

import java.time.Duration;

/**
 * How much a client may take of {@code serve}: how long its headers and its body may take to
 * arrive, how many connections one client address may hold, and how many replays may run and wait.
 *
 * @param headerTimeout           from connect (or the previous answer) to the end of the headers: {@code SERVE_HEADER_TIMEOUT}
 * @param bodyTimeout             from the end of the headers to the last body byte: {@code SERVE_BODY_TIMEOUT}
 * @param maxConnectionsPerClient open connections per client IP address: {@code SERVE_MAX_CONNECTIONS_PER_CLIENT}
 * @param replayThreads           replays running at once, on their own threads: {@code SERVE_REPLAY_THREADS}
 * @param replayQueue             replays waiting for a thread before new ones get 429: {@code SERVE_REPLAY_QUEUE}
 * @param writeTimeout            an answer not taken by the client within this is abandoned and the connection closed: {@code SERVE_WRITE_TIMEOUT}
 * @param maxPipelinedRequests    requests one connection may have read but not yet answered (HTTP/1.1 pipelining); beyond it the
 *                                rest are dropped and the connection closes after the kept ones are answered (the client retries them)
 */
public record ServeLimits(Duration headerTimeout, Duration bodyTimeout, int maxConnectionsPerClient, int replayThreads, int replayQueue,
                          Duration writeTimeout, int maxPipelinedRequests) {

    /** The default of {@link #maxPipelinedRequests()}. */
    public static final int MAX_PIPELINED_REQUESTS = 16;

    /** The limits with the default write deadline and pipelining bound. */
    public ServeLimits(Duration headerTimeout, Duration bodyTimeout, int maxConnectionsPerClient, int replayThreads, int replayQueue) {
        this(headerTimeout, bodyTimeout, maxConnectionsPerClient, replayThreads, replayQueue, DEFAULT_WRITE_TIMEOUT, MAX_PIPELINED_REQUESTS);
    }

    private static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    /** @throws IllegalArgumentException when a timeout is not positive or a count is below 1 */
    public ServeLimits {
        if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()
                || writeTimeout.isNegative() || writeTimeout.isZero()) {
            throw new IllegalArgumentException("SERVE_HEADER_TIMEOUT, SERVE_BODY_TIMEOUT and SERVE_WRITE_TIMEOUT must be positive");
        }
        if (maxConnectionsPerClient < 1 || replayThreads < 1 || replayQueue < 1 || maxPipelinedRequests < 1) {
            throw new IllegalArgumentException("SERVE_MAX_CONNECTIONS_PER_CLIENT, SERVE_REPLAY_THREADS and SERVE_REPLAY_QUEUE must be at least 1");
        }
    }

    /**
     * 10 s for headers (a real client sends them in one packet), 30 s for a body of at most 256 KB,
     * 32 connections per address (an action group or Event Grid retries in parallel; one operator's
     * curl needs one), 2 replays running and 4 waiting (each gathers from Azure for seconds), 30 s for
     * a client to take an answer.
     */
    public static ServeLimits defaults() {
        return new ServeLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), 32, 2, 4, DEFAULT_WRITE_TIMEOUT, MAX_PIPELINED_REQUESTS);
    }

    /** The settings named above, each defaulting to {@link #defaults()}. */
    public static ServeLimits fromSettings(Settings settings) {
        ServeLimits d = defaults();
        return new ServeLimits(settings.duration("SERVE_HEADER_TIMEOUT", d.headerTimeout()),
                settings.duration("SERVE_BODY_TIMEOUT", d.bodyTimeout()),
                settings.integer("SERVE_MAX_CONNECTIONS_PER_CLIENT", d.maxConnectionsPerClient()),
                settings.integer("SERVE_REPLAY_THREADS", d.replayThreads()),
                settings.integer("SERVE_REPLAY_QUEUE", d.replayQueue()),
                settings.duration("SERVE_WRITE_TIMEOUT", d.writeTimeout()), d.maxPipelinedRequests());
    }
}
