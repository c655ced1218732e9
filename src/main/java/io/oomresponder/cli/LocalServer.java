package io.oomresponder.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.functions.ReplayAnswer;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.Responder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Function app's HTTP routes on a JDK {@link HttpServer}: {@code POST /api/alerts},
 * {@code POST /api/replay}, {@code GET /api/health}. Intake, status mapping and replay are the very
 * classes the Functions use ({@link AlertIntake}, {@link HttpAnswer}, {@link ReplayAnswer}); only
 * the transport differs.
 */
final class LocalServer implements AutoCloseable {

    /** A body larger than the limit is read (and discarded) up to this, so the client sees the 413 rather than a reset. */
    static final int DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
    /** Request-handling threads; alerts are answered in milliseconds, the work happens on the queue workers. */
    static final int HTTP_THREADS = 8;

    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);

    private final AlertIntake intake;
    private final java.util.function.Supplier<Responder> responder;
    private final AlertQueue queue;
    private final String apiKey;
    private final String version;
    private final HttpServer server;
    private final ExecutorService executor;

    LocalServer(InetSocketAddress address, AlertIntake intake, Responder responder, AlertQueue queue,
                String apiKey, String version) throws IOException {
        this(address, intake, () -> responder, queue, apiKey, version);
    }

    /**
     * @param responder the pipeline, or null while it is still being built: alerts are queued
     *                  meanwhile (they only need intake and the queue); replay answers 503
     */
    LocalServer(InetSocketAddress address, AlertIntake intake, java.util.function.Supplier<Responder> responder, AlertQueue queue,
                String apiKey, String version) throws IOException {
        this.intake = intake;
        this.responder = responder;
        this.queue = queue;
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.version = version;
        this.server = HttpServer.create(address, 64);
        this.executor = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "serve-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    void start() {
        server.start();
    }

    /** The bound port (useful with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            HttpAnswer answer;
            try {
                answer = route(exchange);
            } catch (RuntimeException e) {
                LOG.error("request failed", e);
                answer = HttpAnswer.error(500, "internal error; see the server's logs", null);
            }
            send(exchange, answer);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        }
    }

    private HttpAnswer route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/api/health":
                return method.equals("GET") ? health() : notAllowed("GET");
            case "/api/alerts":
            case "/api/replay":
                if (!method.equals("POST")) {
                    return notAllowed("POST");
                }
                if (!authorised(exchange)) {
                    return HttpAnswer.unauthorized();
                }
                Optional<byte[]> body = readBounded(exchange);
                if (body.isEmpty()) {
                    return HttpAnswer.error(413, "request body is larger than " + AlertIntake.MAX_BODY_BYTES + " bytes", "body");
                }
                if (path.equals("/api/alerts")) {
                    return alerts(body.get(), exchange);
                }
                Responder ready = responder.get();
                return ready == null ? starting() : ReplayAnswer.of(ready::replay, body.get());
            default:
                return HttpAnswer.error(404, "no route " + (path.length() > 64 ? path.substring(0, 64) : path) + "; try /api/alerts, /api/replay, /api/health", null);
        }
    }

    private HttpAnswer alerts(byte[] body, HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
        IntakeResult result = intake.accept(body, headers);
        if (result instanceof IntakeResult.Accepted a) {
            for (QueuedAlert q : a.alerts()) {
                if (!queue.offer(q.toJson())) {
                    LOG.warn("alert queue did not take {} ({} waiting); answering 503 with Retry-After", q.dedupeKey(), queue.depth());
                    return HttpAnswer.queueFull();
                }
            }
        }
        return HttpAnswer.of(result);
    }

    private HttpAnswer health() {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("status", "ok").put("version", version);
        body.putObject("queue").put("mode", queue.mode()).put("depth", queue.depth());
        Responder ready = responder.get();
        body.put("storeMode", ready == null ? "starting" : ready.storeMode());
        body.put("scope", intake.scope().describe());
        return HttpAnswer.ok(body);
    }

    /** x-functions-key header or ?code= query parameter, as the Functions host accepts its keys. */
    private boolean authorised(HttpExchange exchange) {
        if (apiKey == null) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("x-functions-key");
        if (given == null) {
            given = queryParameter(exchange.getRequestURI().getRawQuery(), "code");
        }
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8));
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                try {
                    return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The body, or empty when it is larger than the limit (the rest is drained up to a cap, never kept). */
    private static Optional<byte[]> readBounded(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean tooLarge = false;
        if (declared != null) {
            try {
                tooLarge = Long.parseLong(declared.trim()) > AlertIntake.MAX_BODY_BYTES;
            } catch (NumberFormatException e) {
                tooLarge = false;
            }
        }
        InputStream in = exchange.getRequestBody();
        if (!tooLarge) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > AlertIntake.MAX_BODY_BYTES) {
                    tooLarge = true;
                    break;
                }
            }
            if (!tooLarge) {
                return Optional.of(out.toByteArray());
            }
        }
        drain(in);
        return Optional.empty();
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT_BYTES && (n = in.read(buf)) > 0) {
            total += n;
        }
    }

    /** Replay while the pipeline is still being built (the first seconds after start). */
    private static HttpAnswer starting() {
        return new HttpAnswer(503, HttpAnswer.error(503, "starting; try again in a few seconds", null).body(), Map.of("Retry-After", "5"));
    }

    private static HttpAnswer notAllowed(String allowed) {
        return new HttpAnswer(405, HttpAnswer.error(405, "method not allowed; use " + allowed, null).body(), Map.of("Allow", allowed));
    }

    private static void send(HttpExchange exchange, HttpAnswer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }



    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
