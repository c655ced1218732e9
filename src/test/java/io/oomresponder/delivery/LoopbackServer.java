package io.oomresponder.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A JDK HttpServer on 127.0.0.1 standing in for a vendor API: records every request and answers
 * from a script (per "METHOD /path" a queue of responses, then a default).
 */
public final class LoopbackServer implements AutoCloseable {

    /** One recorded request. Header names are lower case. */
    public record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A scripted answer. */
    public record Response(int status, String body, Map<String, String> headers) {
        public static Response of(int status, String body) {
            return new Response(status, body, Map.of());
        }

        public static Response json(int status, String json) {
            return new Response(status, json, Map.of("Content-Type", "application/json"));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Response>> scripts = new ConcurrentHashMap<>();
    private final Map<String, Function<Request, Response>> handlers = new ConcurrentHashMap<>();
    private volatile Response otherwise;
    private final String scheme;

    public LoopbackServer() {
        this(null);
    }

    /** An HTTPS server with a self-signed certificate for 127.0.0.1 (see {@link TestTls}). */
    public static LoopbackServer https() {
        return new LoopbackServer(TestTls.serverContext());
    }

    private LoopbackServer(javax.net.ssl.SSLContext tls) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
                server = https;
            }
            this.scheme = tls == null ? "http" : "https";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(r);
            Response response = answer(r);
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
    }

    private Response answer(Request r) {
        String key = r.method() + " " + r.path();
        Deque<Response> queue = scripts.get(key);
        if (queue != null) {
            synchronized (queue) {
                if (queue.size() > 1) {
                    return queue.poll();
                }
                if (queue.size() == 1) {
                    return queue.peek();
                }
            }
        }
        Function<Request, Response> handler = handlers.get(key);
        if (handler != null) {
            return handler.apply(r);
        }
        Response fallback = otherwise;
        return fallback != null ? fallback : Response.of(404, "no script for " + key);
    }

    /** Answers every request without a script with this (e.g. a failure status for the retry table). */
    public LoopbackServer otherwise(Response response) {
        this.otherwise = response;
        return this;
    }

    /** Answers "METHOD /path" with these responses in turn; the last one repeats. */
    public LoopbackServer on(String methodAndPath, Response... responses) {
        scripts.put(methodAndPath, new ArrayDeque<>(List.of(responses)));
        return this;
    }

    /** Answers "METHOD /path" by computing the response from the request. */
    public LoopbackServer on(String methodAndPath, Function<Request, Response> handler) {
        scripts.remove(methodAndPath);
        handlers.put(methodAndPath, handler);
        return this;
    }

    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void reset() {
        requests.clear();
        scripts.clear();
        handlers.clear();
        otherwise = null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
