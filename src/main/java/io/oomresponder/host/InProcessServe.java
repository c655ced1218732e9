package io.oomresponder.host;

import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code serve}'s parts (HTTP routes, in-memory queue, queue workers) around a given
 * {@link Responder} in this process, on a free loopback port: benchmarks and tests send alerts
 * over HTTP exactly as an action group would, and read what became of each one.
 */
public final class InProcessServe implements AutoCloseable {

    private final InMemoryAlertQueue queue;
    private final QueueWorkers workers;
    private final LocalServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<ResponseOutcome.Status, AtomicLong> outcomes = new EnumMap<>(ResponseOutcome.Status.class);
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    /**
     * @param retryDelay how long a failed alert waits before the queue hands it out again
     *                   (serve uses host.json's 30 s; tests use less)
     */
    public InProcessServe(Responder responder, AlertIntake intake, int workerCount, int queueCapacity, Duration retryDelay,
                   String apiKey) throws IOException {
        for (ResponseOutcome.Status s : ResponseOutcome.Status.values()) {
            outcomes.put(s, new AtomicLong());
        }
        this.queue = new InMemoryAlertQueue(queueCapacity, retryDelay);
        this.workers = new QueueWorkers(queue, this.tally(responder), workerCount);
        this.server = new LocalServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), intake, responder, queue,
                apiKey, "bench");
        workers.start();
        server.start();
    }

    private java.util.function.Function<QueuedAlert, ResponseOutcome> tally(Responder responder) {
        return alert -> {
            ResponseOutcome o;
            try {
                o = responder.respond(alert);
            } catch (RuntimeException e) {
                failedAttempts.incrementAndGet();
                throw e;
            }
            outcomes.get(o.status()).incrementAndGet();
            finished.incrementAndGet();
            return o;
        };
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** POSTs an alert payload to /api/alerts; returns the status code. */
    public int postAlert(byte[] payload) throws IOException, InterruptedException {
        return post("/api/alerts", payload).statusCode();
    }

    HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Alerts the pipeline finished (any outcome), not counting failed attempts. */
    long finished() {
        return finished.get();
    }

    /** Alerts whose handling ended with this status. */
    public long count(ResponseOutcome.Status status) {
        return outcomes.get(status).get();
    }

    /** Handling attempts that failed (each is retried until the queue poisons it). */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /** Messages the queue gave up on. */
    public int poisoned() {
        return queue.poisoned().size();
    }

    int depth() {
        return queue.depth();
    }

    /**
     * Waits until {@code expected} alerts have finished (or been poisoned) or the timeout passes.
     *
     * @return true when they all finished
     */
    public boolean awaitFinished(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finished.get() + queue.poisoned().size() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
        workers.close();
        queue.close();
    }
}
