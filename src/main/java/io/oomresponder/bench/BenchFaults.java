package io.oomresponder.bench;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.delivery.pagerduty.PagerDutyNotifier;
import io.oomresponder.delivery.webhook.WebhookNotifier;
import io.oomresponder.json.Json;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.StoragePoisonQueue;
import io.oomresponder.store.TableIncidentStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code bench faults}: real {@code serve} processes on the Function app's storage queue and Table
 * store (Azurite), a fake Azure, and two loopback sinks (webhook and PagerDuty) that the bench can
 * make slow, throttling or hanging. For each fault it prints alerts in, notes out per sink,
 * duplicates (with why) and lost, and exits 1 when an alert was lost:
 * <ul>
 *   <li>kill -9 of serve mid-alert, under the default lease and host.json's visibility, and under a
 *       scaled-down lease and visibility (more rounds in the same time); a new serve takes over;</li>
 *   <li>ALERT_CLAIM_LEASE=PT10M (the old example value): serve refuses to start;</li>
 *   <li>a sink answering 429 with a Retry-After beyond the handler's budget;</li>
 *   <li>a sink that hangs;</li>
 *   <li>poisoned messages: one that fails on every delivery, one that is not an alert.</li>
 * </ul>
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Kill -9 mid-alert, a throttling sink, a hanging sink and poisoned messages against serve on Azurite: alerts in, notes out, duplicates, lost.")
public final class BenchFaults implements Callable<Integer> {

    @Option(names = "--jar", paramLabel = "JAR", description = "The jar to start (default: this one).")
    Path jar;

    @Option(names = "--storage", paramLabel = "CONNECTION", description = "A storage connection string to use instead of starting Azurite.")
    String storage;

    @Option(names = "--azurite", defaultValue = "node_modules/.bin/azurite", description = "Azurite to start (default ${DEFAULT-VALUE}).")
    Path azurite;

    @Option(names = "--alerts", defaultValue = "6", description = "Alerts per round, each for its own app (default ${DEFAULT-VALUE}).")
    int alerts;

    @Option(names = "--default-rounds", defaultValue = "2", description = "Kill rounds under the default lease and 75 s visibility (default ${DEFAULT-VALUE}; about 100 s each).")
    int defaultRounds;

    @Option(names = "--fast-rounds", defaultValue = "5", description = "Kill rounds under a PT4S lease and 3 s visibility (default ${DEFAULT-VALUE}).")
    int fastRounds;

    @Option(names = "--faults", split = ",", defaultValue = "kill,refused,kill-scaled,throttle,hang,poison",
            description = "Which faults to run (default ${DEFAULT-VALUE}).")
    Set<String> faults;

    @Option(names = "--timeout-s", defaultValue = "300", description = "Longest wait for one round's notes (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private static final String SECRET = "bench-faults-secret";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger notification = new AtomicInteger(1000);
    private int poisonedInKills;

    /** One line of the report. */
    record Row(String fault, int in, Map<String, Integer> out, int duplicates, int unexplained, int lost, String notes) {
    }

    @Override
    public Integer call() throws Exception {
        Path theJar = jar != null ? jar : BenchColdStart.runningJar();
        if (theJar == null) {
            System.err.println("no jar to start: pass --jar target/oom-responder.jar");
            return 2;
        }
        if (alerts < 1 || defaultRounds < 0 || fastRounds < 0) {
            System.err.println("--alerts must be at least 1, rounds at least 0");
            return 2;
        }
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        LocalAzurite started = storage == null ? LocalAzurite.start(azurite, Duration.ofSeconds(90)) : null;
        String connection = storage != null ? storage : started.connectionString();
        try (SinkServer sinks = new SinkServer();
             SimulatedFleet fleet = SimulatedFleet.start(alerts, 9100, SimulatedFleet.STORM_SCENARIOS, null)) {
            Map<String, String> base = new HashMap<>(fleet.settingValues());
            base.put("AzureWebJobsStorage", connection);
            base.put("WEBHOOK_URL", sinks.url("/hook"));
            base.put("WEBHOOK_SECRET", SECRET);
            base.put("PAGERDUTY_ROUTING_KEY", "bench-routing-key");
            base.put("PAGERDUTY_EVENTS_URL", sinks.url("/pd"));
            base.put("DELIVERY_INITIAL_BACKOFF", "PT0.2S");
            base.put("REDELIVERY_INITIAL_BACKOFF", "PT1S");
            base.put("REDELIVERY_INTERVAL", "PT2S");
            Settings settings = new Settings(base);
            QueueClient queue = StoragePoisonQueue.client(settings, StoragePoisonQueue.QUEUE);
            QueueClient poison = StoragePoisonQueue.client(settings, StoragePoisonQueue.POISON_QUEUE);

            if (faults.contains("kill")) {
                add(rows, kill(theJar, fleet, sinks, queue, poison, base, "kill -9 mid-alert, default lease PT1M, visibility 75 s",
                        Map.of(), "PT75S", defaultRounds, 1));
            }
            if (faults.contains("refused")) {
                add(rows, refused(theJar, base, "ALERT_CLAIM_LEASE=PT10M (old example), visibility 75 s", Map.of("ALERT_CLAIM_LEASE", "PT10M")));
            }
            if (faults.contains("kill-scaled")) {
                add(rows, kill(theJar, fleet, sinks, queue, poison, base, "kill -9 mid-alert, lease PT4S, visibility 3 s (scaled)",
                        Map.of("ALERT_CLAIM_LEASE", "PT4S"), "PT3S", fastRounds, 2));
            }
            if (faults.contains("throttle")) {
                add(rows, throttled(theJar, fleet, sinks, queue, poison, base));
            }
            if (faults.contains("hang")) {
                add(rows, hanging(theJar, fleet, sinks, queue, poison, base));
            }
            if (faults.contains("poison")) {
                add(rows, poisoned(theJar, sinks, queue, poison, base));
            }
        } finally {
            if (started != null) {
                started.close();
            }
        }
        System.out.printf(Locale.ROOT, "%n%-62s %6s %-22s %5s %5s  %s%n", "fault", "in", "notes out", "dup", "lost", "notes");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-62s %6d %-22s %5d %5d  %s%n", r.fault(), r.in(), r.out(), r.duplicates(), r.lost(), r.notes());
        }
        int lost = rows.stream().mapToInt(Row::lost).sum();
        int unexplained = rows.stream().mapToInt(Row::unexplained).sum();
        int duplicates = rows.stream().mapToInt(Row::duplicates).sum();
        System.out.printf(Locale.ROOT, "total: %d alerts in, %d lost, %d duplicates (%s); %.0f s; load average %.1f on %d cores%n",
                rows.stream().mapToInt(Row::in).sum(), lost, duplicates,
                unexplained == 0 ? "all explained: the note was in flight at the kill, or the store held no record of it yet"
                        : unexplained + " UNEXPLAINED",
                (System.nanoTime() - t0) / 1e9, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                java.lang.Runtime.getRuntime().availableProcessors());
        System.out.println(lost == 0 ? "HELD: no alert lost" : "NOT HELD: alerts were lost");
        return lost == 0 ? 0 : 1;
    }

    private static void add(List<Row> rows, Row row) {
        rows.add(row);
        System.out.printf(Locale.ROOT, "%s: in %d, notes out %s, duplicates %d, lost %d; %s%n",
                row.fault(), row.in(), row.out(), row.duplicates(), row.lost(), row.notes());
    }

    // ---- scenarios ----------------------------------------------------------------------------

    private Row kill(Path jar, SimulatedFleet fleet, SinkServer sinks, QueueClient queue, QueueClient poison, Map<String, String> base,
                     String name, Map<String, String> extra, String visibility, int rounds, int scenario) throws Exception {
        int in = 0;
        int killedMidDelivery = 0;
        poisonedInKills = 0;
        Tally tally = new Tally();
        for (int round = 0; round < rounds; round++) {
            clear(queue, poison);
            sinks.reset();
            sinks.hookDelay = Duration.ofMillis(400); // several alerts are mid-delivery when the kill comes
            Map<String, String> env = new HashMap<>(base);
            env.putAll(extra);
            env.put("INCIDENT_TABLE_PREFIX", "bfk" + scenario + "r" + round + System.nanoTime() % 100000);
            Set<String> ids = new LinkedHashSet<>();
            long killedAt;
            try (ChildServe first = ChildServe.start(jar, List.of(), env, 2, List.of("--visibility-timeout", visibility))) {
                int port = first.awaitListening(Duration.ofMinutes(2));
                ids.addAll(post(port, fleet));
                // The first note is at the webhook, not yet answered: other alerts are mid-evidence or mid-delivery.
                waitFor(() -> sinks.hookStarted.get() > 0, Duration.ofSeconds(timeoutSeconds));
                killedAt = System.nanoTime();
                first.kill();
            }
            // What the store had recorded when the process died: a sink with a record must never get the note again.
            Map<String, Set<String>> recordedAtKill = new HashMap<>();
            TableIncidentStore store = TableIncidentStore.fromSettings(new Settings(env));
            for (String id : ids) {
                recordedAtKill.put(id, store.deliveredSinks(id + "|Fired"));
            }
            try (ChildServe second = ChildServe.start(jar, List.of(), env, 2, List.of("--visibility-timeout", visibility))) {
                second.awaitListening(Duration.ofMinutes(2));
                // Until every alert has its notes and every message is gone from the queue (handled, not
                // just delivered once): a takeover still under way would resend, and must be counted.
                waitFor(() -> sinks.allHave(ids) && queueEmpty(queue), Duration.ofSeconds(timeoutSeconds));
                Thread.sleep(1000);
                poisonedInKills += depth(poison);
            }
            in += ids.size();
            killedMidDelivery += sinks.inFlightAt(killedAt); // counted now: a request is recorded once it is answered
            tally.add(sinks, ids, killedAt, recordedAtKill);
        }
        return tally.row(name + " × " + rounds + " rounds", in,
                killedMidDelivery + " sink requests in flight at the kills, " + poisonedInKills + " message(s) poisoned; an explained duplicate = "
                        + "a note the sink had taken while the store held no record of it when serve was killed (in flight, or answered "
                        + "but not yet recorded: the documented window), sent again with the same Idempotency-Key / dedup_key");
    }

    private Row refused(Path jar, Map<String, String> base, String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(base);
        env.putAll(extra);
        try (ChildServe child = ChildServe.start(jar, List.of(), env, 2)) {
            int code = child.awaitExit(Duration.ofMinutes(2));
            String why = child.lastLines().stream().filter(l -> l.contains("ALERT_CLAIM_LEASE")).findFirst().orElse("(no reason printed)");
            return new Row(name, 0, Map.of(), 0, 0, 0, "serve refused to start, exit " + code + ": "
                    + (why.length() > 140 ? why.substring(0, 140) + "…" : why));
        }
    }

    private Row throttled(Path jar, SimulatedFleet fleet, SinkServer sinks, QueueClient queue, QueueClient poison, Map<String, String> base) throws Exception {
        clear(queue, poison);
        sinks.reset();
        sinks.pdRetryAfterSeconds = 20;
        SlowSinkRound r = slowSinkRound(jar, fleet, sinks, base, "bft");
        return r.tally().row("PagerDuty answers 429 Retry-After 20 s (budget 10 s)", r.ids().size(), String.format(Locale.ROOT,
                "webhook had every note %.1f s after posting; PagerDuty redelivered %.1f s after its 429 at the earliest (asked: 20 s); no worker slept",
                r.webhookSeconds(), sinks.minGapAfter429Millis() / 1e3));
    }

    private Row hanging(Path jar, SimulatedFleet fleet, SinkServer sinks, QueueClient queue, QueueClient poison, Map<String, String> base) throws Exception {
        clear(queue, poison);
        sinks.reset();
        sinks.pdHangFirst = Duration.ofSeconds(60);
        SlowSinkRound r = slowSinkRound(jar, fleet, sinks, base, "bfh");
        return r.tally().row("PagerDuty hangs on its first call per alert (budget 10 s)", r.ids().size(), String.format(Locale.ROOT,
                "webhook had every note %.1f s after posting; PagerDuty's hung calls were parked at the deadline and redelivered",
                r.webhookSeconds()));
    }

    /** What one round with a faulty PagerDuty gave: the alerts, how soon the webhook had all of them, the tally. */
    private record SlowSinkRound(Set<String> ids, double webhookSeconds, Tally tally) {
    }

    /** One serve, a 10 s handler budget, one alert per app; waits until both sinks have every note. */
    private SlowSinkRound slowSinkRound(Path jar, SimulatedFleet fleet, SinkServer sinks, Map<String, String> base, String prefix) throws Exception {
        Map<String, String> env = new HashMap<>(base);
        env.put("ALERT_HANDLER_BUDGET", "PT10S");
        env.put("INCIDENT_TABLE_PREFIX", prefix + System.nanoTime() % 100000);
        Set<String> ids;
        long postedAt;
        long webhookDoneAt;
        try (ChildServe child = ChildServe.start(jar, List.of(), env, 2, List.of("--visibility-timeout", "PT75S"))) {
            int port = child.awaitListening(Duration.ofMinutes(2));
            postedAt = System.nanoTime();
            ids = post(port, fleet);
            waitFor(() -> sinks.have("/hook", ids), Duration.ofSeconds(timeoutSeconds));
            webhookDoneAt = System.nanoTime();
            waitFor(() -> sinks.allHave(ids), Duration.ofSeconds(timeoutSeconds));
        }
        sinks.release();
        Tally tally = new Tally();
        tally.add(sinks, ids, Long.MAX_VALUE);
        return new SlowSinkRound(ids, (webhookDoneAt - postedAt) / 1e9, tally);
    }

    private Row poisoned(Path jar, SinkServer sinks, QueueClient queue, QueueClient poison, Map<String, String> base) throws Exception {
        clear(queue, poison);
        sinks.reset();
        Map<String, String> env = new HashMap<>(base);
        env.put("POISON_REDRIVE_DELAY", "PT2S");
        env.put("POISON_MAX_REDRIVES", "2");
        env.put("ALERT_CLAIM_LEASE", "PT4S"); // the 2 s visibility needs a short lease (checked at start)
        env.put("INCIDENT_TABLE_PREFIX", "bfp" + System.nanoTime() % 100000);
        // Neither can be handled: a JSON object this version cannot read (re-driven, as from a newer
        // instance during a deployment), and text that is not JSON (reported at once).
        queue.sendMessage("{\"dedupeKey\":\"from-a-newer-version|Fired\",\"alert\":{\"shape\":\"unknown\"}}");
        queue.sendMessage("not json at all");
        long postedAt = System.nanoTime();
        try (ChildServe child = ChildServe.start(jar, List.of(), env, 2, List.of("--visibility-timeout", "PT2S"))) {
            child.awaitListening(Duration.ofMinutes(2));
            waitFor(() -> sinks.unprocessed("/hook") >= 2 && sinks.unprocessed("/pd") >= 2, Duration.ofSeconds(timeoutSeconds));
            Thread.sleep(1000);
        }
        int hook = sinks.unprocessed("/hook");
        int pd = sinks.unprocessed("/pd");
        int lost = Math.max(0, 2 - Math.min(hook, pd));
        // No serve was killed here: a second note for a poisoned message has no at-least-once window to explain it.
        int extra = Math.max(0, hook - 2) + Math.max(0, pd - 2);
        return new Row("poisoned: an unreadable object (re-drive PT2S × 2) and non-JSON text", 2, Map.of("hook", Math.min(hook, 2), "pd", Math.min(pd, 2)),
                extra, extra, lost, String.format(Locale.ROOT,
                "both ended in a note \"Alert could not be processed\" with the reason, %.0f s after queueing (5 deliveries × 2 s, then 2 re-drives)",
                (System.nanoTime() - postedAt) / 1e9));
    }

    // ---- plumbing -----------------------------------------------------------------------------

    /** Posts one alert per app (a fresh notification each time); returns their alert ids. */
    private Set<String> post(int port, SimulatedFleet fleet) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < fleet.size(); i++) {
            byte[] payload = fleet.payload(i, notification.incrementAndGet(), Duration.ZERO);
            ids.add(Json.mapper().readTree(payload).path("data").path("essentials").path("alertId").asText());
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/alerts"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
            HttpResponse<String> answer = http.send(post, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("serve answered " + answer.statusCode() + ": " + answer.body());
            }
        }
        return ids;
    }

    /** No message left, visible or not (the approximate count includes invisible ones). */
    private static boolean queueEmpty(QueueClient queue) {
        return depth(queue) == 0;
    }

    private static int depth(QueueClient queue) {
        return queue.getProperties().getApproximateMessagesCount();
    }

    private static void clear(QueueClient queue, QueueClient poison) {
        queue.createIfNotExists();
        poison.createIfNotExists();
        queue.clearMessages();
        poison.clearMessages();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** The bench's sink paths and the names serve records their deliveries under. */
    private static final Map<String, String> SINK_NAMES = Map.of("hook", WebhookNotifier.NAME, "pd", PagerDutyNotifier.NAME);

    /** Notes out, duplicates and lost over the alerts of a scenario. */
    private static final class Tally {
        final Map<String, Integer> out = new LinkedHashMap<>();
        final Map<String, Integer> dupBySink = new LinkedHashMap<>();
        int duplicates;
        int explained;
        int lost;

        void add(SinkServer sinks, Set<String> ids, long killedAt) {
            add(sinks, ids, killedAt, Map.of());
        }

        /**
         * @param recordedAtKill per alert, the sinks the store had recorded as delivered when serve was killed; a duplicate
         *                       is explained when its sink had no record then (the at-least-once window of docs/store.md)
         */
        void add(SinkServer sinks, Set<String> ids, long killedAt, Map<String, Set<String>> recordedAtKill) {
            for (String sink : List.of("hook", "pd")) {
                for (String id : ids) {
                    List<SinkServer.Request> got = sinks.accepted("/" + sink, id);
                    if (got.isEmpty()) {
                        lost++;
                        continue;
                    }
                    out.merge(sink, 1, Integer::sum);
                    duplicates += got.size() - 1;
                    dupBySink.merge(sink, got.size() - 1, Integer::sum);
                    boolean noRecordAtKill = recordedAtKill.containsKey(id)
                            && !recordedAtKill.get(id).contains(SINK_NAMES.get(sink));
                    if (got.size() > 1 && (got.get(0).inFlightAt(killedAt) || noRecordAtKill)) {
                        explained += got.size() - 1;
                    }
                }
            }
        }

        Row row(String name, int in, String why) {
            return new Row(name, in, out, duplicates, duplicates - explained, lost, why + (duplicates > 0 ? "; duplicates by sink " + dupBySink : "")
                    + (duplicates > explained ? "; UNEXPLAINED duplicates: " + (duplicates - explained) : ""));
        }
    }

    /** The loopback webhook and PagerDuty endpoints, with the faults the scenarios set. */
    static final class SinkServer implements AutoCloseable {
        record Request(String path, String alertId, String title, int status, long startedAt, long endedAt) {
            /** Received before {@code at} and answered after it: the answer could not reach a process killed at {@code at}. */
            boolean inFlightAt(long at) {
                return startedAt < at && endedAt >= at;
            }
        }

        private final HttpServer server;
        final List<Request> requests = new CopyOnWriteArrayList<>();
        private final Map<String, Long> first429 = new ConcurrentHashMap<>();
        private final Map<String, Long> firstAfter429 = new ConcurrentHashMap<>();
        private final Set<String> hungOnce = ConcurrentHashMap.newKeySet();
        private volatile java.util.concurrent.CountDownLatch hangRelease = new java.util.concurrent.CountDownLatch(1);
        volatile Duration hookDelay = Duration.ZERO;
        final AtomicInteger hookStarted = new AtomicInteger();
        volatile int pdRetryAfterSeconds;
        volatile Duration pdHangFirst;

        SinkServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "bench-sink");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/hook", this::hook);
            server.createContext("/pd", this::pagerDuty);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        void reset() {
            requests.clear();
            hookStarted.set(0);
            first429.clear();
            firstAfter429.clear();
            hungOnce.clear();
            release();
            hangRelease = new java.util.concurrent.CountDownLatch(1);
            hookDelay = Duration.ZERO;
            pdRetryAfterSeconds = 0;
            pdHangFirst = null;
        }

        void release() {
            hangRelease.countDown();
        }

        private void hook(HttpExchange ex) throws IOException {
            long started = System.nanoTime();
            JsonNode body = Json.mapper().readTree(ex.getRequestBody().readAllBytes());
            String id = body.path("alertId").asText();
            hookStarted.incrementAndGet();
            pause(hookDelay);
            respond(ex, 200, "", Map.of());
            requests.add(new Request("/hook", id, body.path("title").asText(), 200, started, System.nanoTime()));
        }

        private void pagerDuty(HttpExchange ex) throws IOException {
            long started = System.nanoTime();
            JsonNode body = Json.mapper().readTree(ex.getRequestBody().readAllBytes());
            String id = body.path("dedup_key").asText();
            if (pdRetryAfterSeconds > 0 && first429.putIfAbsent(id, started) == null) {
                respond(ex, 429, "{\"status\":\"throttle event\"}", Map.of("Retry-After", String.valueOf(pdRetryAfterSeconds)));
                requests.add(new Request("/pd", id, "", 429, started, System.nanoTime()));
                return;
            }
            Duration hang = pdHangFirst;
            if (hang != null && hungOnce.add(id)) {
                try {
                    hangRelease.await(hang.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // Too late: the client gave up long ago; this answer goes nowhere and is not a note.
                respond(ex, 504, "", Map.of());
                requests.add(new Request("/pd", id, "", 504, started, System.nanoTime()));
                return;
            }
            if (first429.containsKey(id)) {
                firstAfter429.putIfAbsent(id, started);
            }
            respond(ex, 202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + id.replace("\"", "") + "\"}", Map.of());
            requests.add(new Request("/pd", id, "", 202, started, System.nanoTime()));
        }

        private static void pause(Duration d) {
            if (d.isZero()) {
                return;
            }
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static boolean respond(HttpExchange ex, int status, String body, Map<String, String> headers) {
            try (ex) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    ex.getResponseBody().write(bytes);
                }
                return true;
            } catch (IOException e) {
                return false; // the client is gone (killed)
            }
        }

        /** Requests whose note the sink accepted (2xx), oldest first. */
        List<Request> accepted(String path, String id) {
            return requests.stream().filter(r -> r.path().equals(path) && r.alertId().equals(id) && r.status() / 100 == 2).toList();
        }

        int received(String path) {
            return (int) requests.stream().filter(r -> r.path().equals(path)).count();
        }

        boolean have(String path, Set<String> ids) {
            return ids.stream().allMatch(id -> !accepted(path, id).isEmpty());
        }

        boolean allHave(Set<String> ids) {
            return have("/hook", ids) && have("/pd", ids);
        }

        /** Requests that had started but not been answered at {@code at}. */
        int inFlightAt(long at) {
            return (int) requests.stream().filter(r -> r.inFlightAt(at)).count();
        }

        /** Accepted "could not be processed" notes at a sink. */
        int unprocessed(String path) {
            return (int) requests.stream().filter(r -> r.path().equals(path) && r.status() / 100 == 2
                    && (r.title().startsWith("Alert could not be processed") || r.alertId().startsWith("queue-message-")
                    || r.alertId().startsWith("from-a-newer-version"))).count();
        }

        long minGapAfter429Millis() {
            return firstAfter429.entrySet().stream().mapToLong(e -> (e.getValue() - first429.get(e.getKey())) / 1_000_000).min().orElse(-1);
        }

        @Override
        public void close() {
            release();
            server.stop(0);
        }
    }
}
