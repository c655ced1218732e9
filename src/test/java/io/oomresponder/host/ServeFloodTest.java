package io.oomresponder.host;

import io.oomresponder.bench.SimulatedFleet;
import io.oomresponder.bench.TallyNotifier;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.CoalescingEvidenceSource;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.HostileCorpus;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A concurrent flood on serve's routes (loopback only, bounded: 20 threads × 200 requests): the
 * intake's hostile corpus (truncated, 10 MB, 10,000-deep, invalid UTF-8, injection ids...), valid
 * alerts and their redeliveries, health checks and wrong routes, all at once, with the real
 * pipeline behind the queue. No 5xx, no crash, the server still healthy, the heap bounded.
 */
public class ServeFloodTest {

    private static final int THREADS = 20;
    private static final int REQUESTS_PER_THREAD = 200;
    private static final int DISTINCT_VALID_ALERTS = 10;

    @Test
    void aConcurrentFloodOfHostileAndValidRequestsGetsNoServerErrorAndLeavesTheServerHealthy() throws Exception {
        List<HostileCorpus.Case> corpus = HostileCorpus.cases();
        try (SimulatedFleet fleet = SimulatedFleet.start(1, 71, List.of("leak/classic"), null)) {
            var settings = fleet.settings();
            var store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
            TallyNotifier sink = new TallyNotifier();
            List<Notifier> sinks = List.of(sink);
            AlertIntake intake = new AlertIntake(ScopeGuard.fromSettings(settings), fleet.clock());
            long heapBefore = usedHeapAfterGc();
            try (Responder responder = new Responder(new CoalescingEvidenceSource(AzureEvidenceSource.fromSettings(settings, fleet.clock()), fleet.clock()),
                    store, new NoteRenderer(), SinkRoutes.toAll(sinks), new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), fleet.clock()),
                    fleet.clock(), "memory", intake);
                 InProcessServe serve = new InProcessServe(responder, intake, 2, InMemoryAlertQueue.DEFAULT_CAPACITY, Duration.ofMillis(500), null)) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
                Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
                AtomicInteger accepted = new AtomicInteger();
                List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                long t0 = System.nanoTime();
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                            int k = thread * REQUESTS_PER_THREAD + i;
                            HttpRequest request;
                            String what;
                            if (k % 10 == 0) {
                                request = HttpRequest.newBuilder(serve.uri("/api/health")).GET().build();
                                what = "health";
                            } else if (k % 10 == 1) {
                                request = HttpRequest.newBuilder(serve.uri("/api/../../etc/passwd?x=%3Cscript%3E")).GET().build();
                                what = "wrong route";
                            } else if (k % 10 <= 3) {
                                request = post(serve, fleet.payload(0, k % DISTINCT_VALID_ALERTS, Duration.ZERO));
                                what = "valid alert";
                            } else {
                                HostileCorpus.Case c = corpus.get(k % corpus.size());
                                request = post(serve, c.body());
                                what = c.name();
                            }
                            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                            statuses.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                            if (r.statusCode() >= 500) {
                                serverErrors.add(what + " -> " + r.statusCode() + " " + r.body());
                            }
                            if (r.statusCode() == 202 && r.body().contains("\"accepted\"")) {
                                accepted.incrementAndGet();
                            }
                            assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
                pool.shutdownNow();
                long floodMs = (System.nanoTime() - t0) / 1_000_000;
                boolean drained = serve.awaitFinished(accepted.get(), Duration.ofMinutes(2));
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(serve.uri("/api/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                long heapAfter = usedHeapAfterGc();

                Map<Integer, Integer> byStatus = new TreeMap<>();
                statuses.forEach((s, n) -> byStatus.put(s, n.get()));
                System.out.printf("serve flood: %d requests from %d threads in %d ms, answers by status %s; %d alerts queued, "
                                + "%d finished (%d delivered notes), drained %s; heap after GC %d MB -> %d MB%n",
                        THREADS * REQUESTS_PER_THREAD, THREADS, floodMs, byStatus, accepted.get(), serve.finished(), sink.notes(),
                        drained, heapBefore >> 20, heapAfter >> 20);

                assertThat(serverErrors).isEmpty();
                assertThat(byStatus.keySet()).isSubsetOf(Set.of(200, 202, 400, 404, 405, 413, 415, 503));
                assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(THREADS * REQUESTS_PER_THREAD);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(drained).isTrue();
                assertThat(serve.poisoned()).isZero();
                assertThat(sink.notes()).as("ten distinct alerts for one app: one incident, one note").isEqualTo(1);
                // Heap figures are printed, not asserted: System.gc() is a hint and the heap moves with the
                // machine's load; `bench footprint` measures retention in a fresh process.
            }
        }
    }

    private static HttpRequest post(InProcessServe serve, byte[] body) {
        return HttpRequest.newBuilder(serve.uri("/api/alerts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
