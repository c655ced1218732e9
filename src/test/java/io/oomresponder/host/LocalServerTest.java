package io.oomresponder.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.HostileCorpus;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A real {@code serve} (JDK HttpServer on a free loopback port) driven over HTTP. */
public class LocalServerTest {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static InMemoryAlertQueue queue;
    static LocalServer server;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        queue = new InMemoryAlertQueue(10_000, Duration.ofMillis(10));
        server = newServer(queue, null);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        queue.close();
    }

    static LocalServer newServer(AlertQueue q, String apiKey) throws Exception {
        LocalServer s = new LocalServer(new InetSocketAddress("127.0.0.1", 0),
                new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()),
                new Responder(new Settings(Map.of())), q, apiKey, "oom-responder test");
        s.start();
        return s;
    }

    static HttpResponse<String> post(String url, byte[] body, String... headers) throws Exception {
        // serve refuses POSTs that are not JSON (a browser's cross-site text/plain post is the attack).
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<HostileCorpus.Case> cases() {
        return HostileCorpus.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersEachCorpusPayloadLikeTheFunction(HostileCorpus.Case c) throws Exception {
        int before = queue.depth();
        HttpResponse<String> res = post(base + "/api/alerts", c.body());

        assertThat(res.statusCode()).isEqualTo(c.status());
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = Json.mapper().readTree(res.body());
        if (c.kind().equals("accepted")) {
            assertThat(body.path("status").asText()).isEqualTo("accepted");
            assertThat(queue.depth()).isEqualTo(before + 1);
        } else if (res.statusCode() == 202) {
            // Ignored: nothing for the pipeline, at most the one receipts message the reconcile reads.
            assertThat(body).isEqualTo(c.expectedBody());
            assertThat(queue.depth()).isBetween(before, before + 1);
        } else {
            assertThat(body).isEqualTo(c.expectedBody());
            assertThat(queue.depth()).isEqualTo(before);
        }
    }

    @Test
    void healthWithTheKeyAnswers200WithVersionQueueDepthAndStoreMode() throws Exception {
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        HttpResponse<String> res;
        try (LocalServer keyed = newServer(q, "s3cret-key")) {
            res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keyed.port() + "/api/health"))
                    .header("x-functions-key", "s3cret-key").build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            q.close();
        }
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(res.body());
        assertThat(body.path("version").asText()).isEqualTo("oom-responder test");
        assertThat(body.at("/queue/mode").asText()).isEqualTo("memory");
        assertThat(body.at("/queue/depth").isInt()).isTrue();
        assertThat(body.path("storeMode").asText()).isEqualTo("memory");
    }

    @Test
    void healthSaysWhichAppsAzureMonitorFiredAlertsForWhileNoneArrived() throws Exception {
        io.oomresponder.intake.AlertSignal fired = AlertSamples.signal();
        io.oomresponder.pipeline.AlertReconciler reconciler = new io.oomresponder.pipeline.AlertReconciler(sub -> List.of(fired),
                new io.oomresponder.store.InMemoryReceivedAlerts(), List.of("/subscriptions/" + AlertSamples.SUBSCRIPTION),
                io.oomresponder.intake.ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Duration.ofMinutes(5),
                java.time.Clock.fixed(fired.firedAt().plus(Duration.ofMinutes(10)), java.time.ZoneOffset.UTC));
        reconciler.sweep();
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        HttpResponse<String> res;
        try (LocalServer keyed = newServer(q, "s3cret-key")) {
            keyed.showReconcile(reconciler::last);
            res = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + keyed.port() + "/api/health"))
                    .header("x-functions-key", "s3cret-key").build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            q.close();
        }
        JsonNode body = Json.mapper().readTree(res.body());
        assertThat(body.at("/reconcile/fired").asInt()).isEqualTo(1);
        assertThat(body.at("/reconcile/queued").asInt()).isEqualTo(1);
        assertThat(body.at("/reconcile/silentApps/0/app").asText()).isEqualTo(fired.targetResourceId());
        assertThat(body.at("/warnings/0").asText()).contains(fired.targetResourceId()).contains("15-minute block");
    }

    @Test
    void unknownRoutesAndMethodsGetJson404And405() throws Exception {
        assertThat(post(base + "/api/nope", new byte[]{'x'}).statusCode()).isEqualTo(404);
        HttpResponse<String> res = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/alerts")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void apiKeyIsRequiredInXFunctionsKeyWhenSet() throws Exception {
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        try (LocalServer keyed = newServer(q, "s3cret-key")) {
            String url = "http://127.0.0.1:" + keyed.port() + "/api/alerts";
            byte[] alert = AlertSamples.bytes(AlertSamples.containerAppLogV2());

            HttpResponse<String> none = post(url, alert);
            HttpResponse<String> wrong = post(url, alert, "x-functions-key", "guess");
            HttpResponse<String> right = post(url, alert, "x-functions-key", "s3cret-key");
            HttpResponse<String> query = post(url + "?code=s3cret-key", alert);

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(Json.mapper().readTree(none.body()).path("error").asText()).isEqualTo("missing or wrong x-functions-key");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).doesNotContain("guess").doesNotContain("s3cret");
            assertThat(right.statusCode()).isEqualTo(202);
            assertThat(query.statusCode()).isEqualTo(202);
            assertThat(q.depth()).isEqualTo(2);
        } finally {
            q.close();
        }
    }

    @Test
    void fullQueueAnswers503WithRetryAfterSoTheActionGroupRetries() throws Exception {
        InMemoryAlertQueue tiny = new InMemoryAlertQueue(1, Duration.ofMillis(10));
        try (LocalServer s = newServer(tiny, null)) {
            String url = "http://127.0.0.1:" + s.port() + "/api/alerts";
            byte[] alert = AlertSamples.bytes(AlertSamples.containerAppLogV2());

            assertThat(post(url, alert).statusCode()).isEqualTo(202);
            HttpResponse<String> full = post(url, alert);

            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(full.headers().firstValue("Retry-After")).hasValue(String.valueOf(io.oomresponder.intake.HttpAnswer.RETRY_AFTER_SECONDS));
            assertThat(Json.mapper().readTree(full.body()).path("error").asText()).isEqualTo("the alert queue did not take the alert; retry later");
        } finally {
            tiny.close();
        }
    }

    @Test
    void eventGridFillsOnlyItsShareOfTheQueueAndAnActionGroupAlertStillGetsIn() throws Exception {
        // Issue 26: Event Grid deliveries filled the queue, and the action groups' alerts then met 503s.
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        try (LocalServer s = newServer(q, null)) {
            String url = "http://127.0.0.1:" + s.port() + "/api/alerts";
            com.fasterxml.jackson.databind.node.ArrayNode event = Json.mapper().createArrayNode();
            event.addObject().put("id", "e-1").put("topic", "/subscriptions/" + AlertSamples.SUBSCRIPTION + "/providers/Microsoft.EventGrid/topics/t")
                    .put("subject", "alert").put("eventType", "Microsoft.AlertsManagement.AlertFired")
                    .put("eventTime", "2026-11-30T05:00:00Z").put("dataVersion", "1.0").set("data", AlertSamples.containerAppLogV2());
            byte[] viaEventGrid = Json.mapper().writeValueAsBytes(event);
            int share = (int) Math.floor(10 * InMemoryAlertQueue.EVENT_GRID_SHARE);
            for (int i = 0; i < share; i++) {
                assertThat(post(url, viaEventGrid).statusCode()).as("Event Grid delivery %d", i).isEqualTo(202);
            }
            HttpResponse<String> refused = post(url, viaEventGrid);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(String.valueOf(io.oomresponder.intake.HttpAnswer.RETRY_AFTER_SECONDS));
            assertThat(q.depth()).isEqualTo(share);

            assertThat(post(url, AlertSamples.bytes(AlertSamples.containerAppLogV2())).statusCode()).isEqualTo(202);
            assertThat(q.depth()).isEqualTo(share + 1);
        } finally {
            q.close();
        }
    }

    @Test
    void workersHandEachQueuedAlertToTheResponder() throws Exception {
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(10));
        List<QueuedAlert> seen = new CopyOnWriteArrayList<>();
        try (LocalServer s = newServer(q, null);
             QueueWorkers workers = new QueueWorkers(q, a -> {
                 seen.add(a);
                 return new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "test");
             }, 2)) {
            workers.start();
            post("http://127.0.0.1:" + s.port() + "/api/alerts", AlertSamples.bytes(AlertSamples.containerAppLogV2()));
            awaitUntil(() -> seen.size() == 1);
            assertThat(seen.get(0).dedupeKey()).isEqualTo(AlertSamples.ALERT_ID + "|Fired");
            assertThat(seen.get(0).alert().targetResourceId()).isEqualTo(AlertSamples.APP_ID);
        } finally {
            q.close();
        }
    }

    @Test
    void aFailingAlertIsRetriedFiveTimesThenPoisoned() throws Exception {
        InMemoryAlertQueue q = new InMemoryAlertQueue(10, Duration.ofMillis(5));
        List<QueuedAlert> attempts = new CopyOnWriteArrayList<>();
        try (QueueWorkers workers = new QueueWorkers(q, a -> {
            attempts.add(a);
            throw new IllegalStateException("sink down");
        }, 1)) {
            workers.start();
            q.offer(new QueuedAlert("k|Fired", AlertSamples.signal(), java.time.Instant.now(), false).toJson());
            awaitUntil(() -> q.poisoned().size() == 1);
            assertThat(attempts).hasSize(AlertQueue.MAX_DEQUEUE_COUNT);
            assertThat(workers.failed()).isEqualTo(5);
        } finally {
            q.close();
        }
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
