package io.oomresponder.cli;

import io.oomresponder.bench.TallyNotifier;
import io.oomresponder.host.InMemoryAlertQueue;
import io.oomresponder.host.LocalServer;
import io.oomresponder.host.ServeAccess;
import io.oomresponder.host.ServeLimits;
import io.oomresponder.host.VirtualDeadlines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code serve} (on a free loopback port) attacked over HTTP and raw sockets: no key, foreign
 * origins, non-JSON posts, trickled headers and bodies, many connections from one address, replays
 * that hold their threads, replays that try to deliver, and health probes without a key.
 */
class ServeHardeningTest {

    private static final String KEY = "serve-key-0123456789";
    private static final String DELIVERY_KEY = "delivery-key-9876543210";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Guards every blocking read: a read that waits this long means the server failed to answer. */
    private static final int READ_GUARD_MS = 15_000;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private LocalServer serve(ServeAccess access, ServeLimits limits, Responder responder) throws Exception {
        return serve(access, limits, responder, LocalServer.DeadlineTimer.EVENT_LOOP);
    }

    private LocalServer serve(ServeAccess access, ServeLimits limits, Responder responder, LocalServer.DeadlineTimer deadlines) throws Exception {
        InMemoryAlertQueue queue = new InMemoryAlertQueue(1000, Duration.ofMillis(10));
        LocalServer server = new LocalServer(new InetSocketAddress("127.0.0.1", 0),
                new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()),
                () -> responder, queue, access, limits, "oom-responder test", deadlines);
        server.start();
        open.add(queue);
        open.add(0, server);
        return server;
    }

    private LocalServer serve(ServeAccess access, ServeLimits limits) throws Exception {
        return serve(access, limits, new Responder(new Settings(Map.of())));
    }

    /** A server whose connection deadlines pass only when the test advances {@code clock}. */
    private LocalServer serve(ServeLimits limits, VirtualDeadlines clock) throws Exception {
        return serve(ServeAccess.keyless(), limits, new Responder(new Settings(Map.of())), clock);
    }

    /** Writes {@code text} and waits until the server has read all of it. */
    private static void writeAndAwaitRead(LocalServer s, Socket socket, String text) throws Exception {
        long before = s.bytesReceived();
        write(socket, text);
        int n = text.getBytes(StandardCharsets.UTF_8).length;
        awaitCondition(() -> s.bytesReceived() >= before + n);
    }

    private static ServeLimits limits(long headerMs, long bodyMs, int perClient, int replayThreads, int replayQueue) {
        return new ServeLimits(Duration.ofMillis(headerMs), Duration.ofMillis(bodyMs), perClient, replayThreads, replayQueue);
    }

    private static String url(LocalServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    private static HttpResponse<String> post(LocalServer s, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(s, path))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(LocalServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(s, path))).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] alert() {
        return AlertSamples.bytes(AlertSamples.containerAppLogV2());
    }

    /** A raw connection from a chosen loopback address (Linux routes all of 127.0.0.0/8 to lo). */
    private Socket connect(LocalServer s, String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", s.port()), 5000);
        socket.setSoTimeout(READ_GUARD_MS);
        open.add(socket);
        return socket;
    }

    /** Everything the server sends until it closes the connection. */
    private static String readToClose(Socket socket) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // A reset after the answer counts as closed.
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ---- 2. fail closed --------------------------------------------------------------------------

    @Test
    void aNonLoopbackBindWithoutAKeyOrWithoutAllowedSubscriptionsRefusesToStart() {
        Settings subscriptions = new Settings(Map.of("ALLOWED_SUBSCRIPTIONS", AlertSamples.SUBSCRIPTION));
        Settings keyButNoScope = new Settings(Map.of("SERVE_API_KEY", KEY));

        assertThat(new CommandLine(new ServeCommand(subscriptions)).execute("--bind", "0.0.0.0", "--port", "0")).isEqualTo(2);
        assertThat(new CommandLine(new ServeCommand(keyButNoScope)).execute("--bind", "0.0.0.0", "--port", "0")).isEqualTo(2);
        assertThat(new CommandLine(new ServeCommand(keyButNoScope)).execute("--bind", "0.0.0.0", "--port", "0", "--insecure-no-auth"))
                .as("--insecure-no-auth never replaces ALLOWED_SUBSCRIPTIONS").isEqualTo(2);

        ScopeGuard scoped = ScopeGuard.fromSettings(subscriptions);
        ScopeGuard unscoped = ScopeGuard.fromSettings(new Settings(Map.of()));
        assertThat(ServeCommand.refusal("0.0.0.0", false, false, scoped)).get().asString().contains("SERVE_API_KEY");
        assertThat(ServeCommand.refusal("0.0.0.0", false, true, scoped)).isEmpty();
        assertThat(ServeCommand.refusal("0.0.0.0", true, false, scoped)).isEmpty();
        assertThat(ServeCommand.refusal("0.0.0.0", true, false, unscoped)).get().asString().contains("ALLOWED_SUBSCRIPTIONS");
        assertThat(ServeCommand.refusal("127.0.0.1", false, false, unscoped)).isEmpty();
        assertThat(ServeCommand.refusal("::1", false, false, unscoped)).isEmpty();
    }

    @Test
    void postsThatAreNotJsonAreRefusedWith415() throws Exception {
        LocalServer s = serve(ServeAccess.keyless(), ServeLimits.defaults());
        assertThat(post(s, "/api/alerts", alert()).statusCode()).as("no Content-Type").isEqualTo(415);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "text/plain").statusCode()).isEqualTo(415);
        assertThat(post(s, "/api/replay", alert(), "Content-Type", "text/plain;charset=utf-8").statusCode()).isEqualTo(415);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/x-www-form-urlencoded").statusCode()).isEqualTo(415);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "multipart/form-data; boundary=x").statusCode()).isEqualTo(415);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/json; charset=utf-8").statusCode()).isEqualTo(202);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/cloudevents+json").statusCode()).isEqualTo(202);
    }

    @Test
    void aRequestFromAnOriginOffTheAllowListIsRefused() throws Exception {
        LocalServer s = serve(new ServeAccess(KEY, null, Set.of("https://ops.example.com")), ServeLimits.defaults());
        HttpResponse<String> foreign = post(s, "/api/alerts", alert(), "Content-Type", "application/json", "x-functions-key", KEY,
                "Origin", "https://evil.example.net");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("Origin");
        assertThat(post(s, "/api/replay", alert(), "Content-Type", "application/json", "x-functions-key", KEY, "Origin", "null").statusCode())
                .isEqualTo(403);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/json", "x-functions-key", KEY,
                "Origin", "https://OPS.example.com").statusCode()).isEqualTo(202);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/json", "x-functions-key", KEY).statusCode())
                .as("action groups send no Origin").isEqualTo(202);
    }

    // ---- 6. health ---------------------------------------------------------------------------------

    @Test
    void healthWithoutTheKeyAnswersOnlyUp() throws Exception {
        LocalServer keyed = serve(ServeAccess.withKey(KEY), ServeLimits.defaults());
        HttpResponse<String> anonymous = get(keyed, "/api/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(anonymous.body())).isEqualTo(Json.mapper().readTree("{\"status\":\"up\"}"));
        assertThat(Json.mapper().readTree(get(keyed, "/api/health", "x-functions-key", "wrong").body()).size()).isEqualTo(1);

        JsonNode detailed = Json.mapper().readTree(get(keyed, "/api/health", "x-functions-key", KEY).body());
        assertThat(detailed.path("version").asText()).isEqualTo("oom-responder test");
        assertThat(detailed.at("/queue/depth").isInt()).isTrue();
        assertThat(detailed.path("scope").asText()).contains("1 subscription");

        LocalServer keyless = serve(ServeAccess.keyless(), ServeLimits.defaults());
        assertThat(Json.mapper().readTree(get(keyless, "/api/health").body()).size())
                .as("without any key configured there is no way to the details").isEqualTo(1);
    }

    // ---- 4. slow clients ---------------------------------------------------------------------------

    /**
     * Headers that keep trickling in, a piece every third of the deadline: each piece would reset an
     * idle timeout, so only a deadline counted from the connection's start cuts them.
     */
    @Test
    void headersThatTrickleAreCutAtTheHeaderDeadline() throws Exception {
        VirtualDeadlines clock = new VirtualDeadlines();
        LocalServer s = serve(limits(900, 60_000, 32, 2, 4), clock);
        Socket slow = connect(s, "127.0.0.1");
        clock.awaitScheduled(1);
        String[] pieces = {"POST /api/alerts HTTP/1.1\r\n", "Host: x\r\n", "Content-Type: appl"};
        for (String piece : pieces) {
            writeAndAwaitRead(s, slow, piece);
            clock.advance(Duration.ofMillis(300));
        }
        // 900 ms since the connection opened, 300 ms since the last byte.
        String answer = readToClose(slow);
        assertThat(answer).startsWith("HTTP/1.1 408");
        assertThat(s.timedOut()).isEqualTo(1);
    }

    /** A body that keeps trickling in after its headers, a piece every third of the deadline. */
    @Test
    void aBodyThatTricklesIsCutAtTheBodyDeadline() throws Exception {
        VirtualDeadlines clock = new VirtualDeadlines();
        LocalServer s = serve(limits(60_000, 900, 32, 2, 4), clock);
        Socket slow = connect(s, "127.0.0.1");
        writeAndAwaitRead(s, slow, "POST /api/alerts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n");
        clock.awaitScheduled(2); // the header deadline at the connection, the body deadline once the headers were in
        for (String piece : new String[] {"{\"schemaId\":", "\"azureMonitor", "CommonAlertSchema\","}) {
            writeAndAwaitRead(s, slow, piece);
            clock.advance(Duration.ofMillis(300));
        }
        // 900 ms since the headers were in, 300 ms since the last byte.
        assertThat(readToClose(slow)).startsWith("HTTP/1.1 408");
        assertThat(s.timedOut()).isEqualTo(1);
    }

    @Test
    void aKeptAliveConnectionThatGoesQuietIsClosedAtTheHeaderDeadlineWithoutAnUnaskedForAnswer() throws Exception {
        VirtualDeadlines clock = new VirtualDeadlines();
        LocalServer s = serve(limits(300, 60_000, 32, 2, 4), clock);
        Socket idle = connect(s, "127.0.0.1");
        write(idle, "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n");
        clock.awaitScheduled(3); // connection, body (headers in), and again after the answer
        clock.advance(Duration.ofMillis(300));
        String answer = readToClose(idle);
        assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("408");
        assertThat(s.timedOut()).as("an idle close is not a slow client").isZero();

        Socket silent = connect(s, "127.0.0.1");
        clock.awaitScheduled(4);
        clock.advance(Duration.ofMillis(300));
        assertThat(readToClose(silent)).as("connected, sent nothing: closed at the deadline").isEmpty();
    }

    @Test
    void manyTricklingConnectionsDoNotStopHealthOrAlerts() throws Exception {
        LocalServer s = serve(ServeAccess.keyless(), limits(60_000, 60_000, 32, 2, 4));
        // 40 attackers (from 40 addresses, so the per-address cap does not help) each hold a half-sent request.
        for (int i = 0; i < 40; i++) {
            write(connect(s, "127.0.1." + (i + 1)), "POST /api/alerts HTTP/1.1\r\nHost: x\r\nContent-Le");
        }
        assertThat(get(s, "/api/health").statusCode()).isEqualTo(200);
        assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/json").statusCode()).isEqualTo(202);
    }

    @Test
    void oneAddressGetsAtMostTheCapOfConnections() throws Exception {
        LocalServer s = serve(ServeAccess.keyless(), limits(60_000, 60_000, 4, 2, 4));
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sockets.add(connect(s, "127.0.0.2"));
        }
        awaitCondition(() -> s.refusedConnections() == 2);
        assertThat(get(s, "/api/health").statusCode()).as("another address is served").isEqualTo(200);
        int answered = 0;
        int refused = 0;
        for (Socket socket : sockets) {
            try {
                write(socket, "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                if (readToClose(socket).startsWith("HTTP/1.1 200")) {
                    answered++;
                } else {
                    refused++;
                }
            } catch (IOException e) {
                refused++;
            }
        }
        assertThat(answered).isEqualTo(4);
        assertThat(refused).isEqualTo(2);
    }

    @Test
    void replaysRunOnTheirOwnBoundedPoolSoAlertsNeverWaitBehindThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(2);
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 11);
        EvidenceSource slowAzure = a -> {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return leak.truth().withAlert(a);
        };
        LocalServer s = serve(ServeAccess.keyless(), limits(60_000, 60_000, 64, 2, 1), responder(leak, slowAzure, List.of()));
        try {
            byte[] replay = ("{\"payload\":" + leak.alertPayload() + "}").getBytes(StandardCharsets.UTF_8);
            List<CompletableFuture<HttpResponse<String>>> replays = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replays.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(url(s, "/api/replay"))).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(replay)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("two replays are gathering").isTrue();
            awaitCondition(() -> replays.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally() && f.join().statusCode() == 429).count() == 7);

            // Ten replays hold the old server's eight threads; now the alert is answered at once.
            assertThat(post(s, "/api/alerts", alert(), "Content-Type", "application/json").statusCode()).isEqualTo(202);
            assertThat(get(s, "/api/health").statusCode()).isEqualTo(200);
            HttpResponse<String> busy = replays.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                    .filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
            assertThat(busy.headers().firstValue("Retry-After")).isPresent();
            release.countDown();
            assertThat(replays.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count())
                    .as("the two running and the one waiting finish").isEqualTo(3);
        } finally {
            release.countDown();
        }
    }

    // ---- 1. replay delivery through serve ----------------------------------------------------------

    @Test
    void aReplayDeliversOnlyWithTheSeparateDeliveryKey() throws Exception {
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 11);
        TallyNotifier sink = new TallyNotifier();
        LocalServer s = serve(new ServeAccess(KEY, DELIVERY_KEY, Set.of()), ServeLimits.defaults(),
                responder(leak, a -> leak.truth().withAlert(a), List.of(sink)));
        ObjectNode request = Json.mapper().createObjectNode();
        request.set("payload", leak.alertPayload());
        request.put("deliver", true);
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> functionKeyOnly = post(s, "/api/replay", body, "Content-Type", "application/json", "x-functions-key", KEY);
        assertThat(functionKeyOnly.statusCode()).isEqualTo(403);
        HttpResponse<String> guessed = post(s, "/api/replay", body, "Content-Type", "application/json", "x-functions-key", KEY,
                ServeAccess.REPLAY_DELIVERY_HEADER, "guess");
        assertThat(guessed.statusCode()).isEqualTo(403);
        assertThat(sink.notes()).isZero();

        HttpResponse<String> allowed = post(s, "/api/replay", body, "Content-Type", "application/json", "x-functions-key", KEY,
                ServeAccess.REPLAY_DELIVERY_HEADER, DELIVERY_KEY);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(allowed.body()).path("delivered").toString()).isEqualTo("[\"tally\"]");
        assertThat(sink.notes()).isEqualTo(1);

        LocalServer off = serve(ServeAccess.withKey(KEY), ServeLimits.defaults(), responder(leak, a -> leak.truth().withAlert(a), List.of(sink)));
        assertThat(post(off, "/api/replay", body, "Content-Type", "application/json", "x-functions-key", KEY,
                ServeAccess.REPLAY_DELIVERY_HEADER, "").statusCode()).as("off by default").isEqualTo(403);
        assertThat(sink.notes()).isEqualTo(1);
    }

    private static Responder responder(SimulatedIncident leak, EvidenceSource evidence, List<Notifier> sinks) {
        Clock clock = Clock.fixed(leak.truth().alert().firedAt().plusSeconds(600), ZoneOffset.UTC);
        IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
        return new Responder(evidence, store, new NoteRenderer(false), SinkRoutes.toAll(sinks),
                new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), clock), clock, "memory",
                new AlertIntake(ScopeGuard.allowing(leak.truth().app().subscriptionId()), clock));
    }

    /** Waits for a condition the server reaches asynchronously (a bounded poll, not a timing assertion). */
    private static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not reached in 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
