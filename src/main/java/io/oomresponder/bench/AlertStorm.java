package io.oomresponder.bench;

import io.oomresponder.host.InMemoryAlertQueue;
import io.oomresponder.host.InProcessServe;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.evidence.CoalescingEvidenceSource;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome.Status;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.RecordedRequest;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An alert storm, as a bad deployment causes it: {@code alertsPerApp} notifications for each of
 * {@code apps} apps, firing within one minute of each other (one per rule and replica dimension;
 * the last one a redelivery of the first), sent over HTTP to {@code serve}'s routes with the real
 * pipeline behind them: intake, queue, coalesced evidence from the fake Azure via the real SDK
 * clients, diagnosis, incident store and a counting sink. The report says what became of every
 * alert and what Azure saw.
 */
public final class AlertStorm {

    /** Firing times of one app's alerts are this far apart (9 alerts within 45 s). */
    static final Duration FIRING_SPACING = Duration.ofSeconds(5);
    /** Concurrent senders, like several action groups posting at once. */
    static final int SENDERS = 4;

    private AlertStorm() {
    }

    /**
     * What a storm did.
     *
     * @param sent             alerts posted
     * @param accepted         of which answered 202
     * @param delivered        pipeline outcome DELIVERED (a note went out)
     * @param duplicate        DUPLICATE (same alert id and condition seen before)
     * @param quiet            QUIET (an open incident absorbed it)
     * @param ignored          IGNORED
     * @param failedAttempts   attempts that threw (retried by the queue)
     * @param poisoned         alerts given up after the last attempt
     * @param gathers          evidence gathers sent to Azure (CoalescingEvidenceSource.gathers)
     * @param sharedGathers    alerts served by another alert's gather
     * @param appGets          per app, ARM GETs of the container app (one per gather)
     * @param azureCalls       all requests the fake Azure answered
     * @param logQueries       Log Analytics queries among them
     * @param incidentsPerApp  per app, incidents in the store
     * @param notesPerApp      per app, notes the sink took
     * @param sendMs           wall time to post every alert
     * @param totalMs          wall time until every alert was handled
     */
    record Report(int apps, int sent, long accepted, long delivered, long duplicate, long quiet, long ignored,
                  long failedAttempts, int poisoned, long gathers, long sharedGathers, Map<String, Long> appGets,
                  int azureCalls, int logQueries, Map<String, Integer> incidentsPerApp, Map<String, Long> notesPerApp,
                  long sendMs, long totalMs, boolean finished) {

        long accountedFor() {
            return delivered + duplicate + quiet + ignored + poisoned;
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "alert storm: %d alerts for %d apps (firing within one minute per app), sent in %d ms, all handled in %d ms%s%n",
                    sent, apps, sendMs, totalMs, finished ? "" : " (TIMED OUT)"));
            sb.append(String.format(Locale.ROOT, "  answered 202: %d of %d%n", accepted, sent));
            sb.append(String.format(Locale.ROOT, "  outcomes: delivered %d + duplicate %d + quiet %d + ignored %d + poisoned %d = %d (failed attempts retried: %d)%n",
                    delivered, duplicate, quiet, ignored, poisoned, accountedFor(), failedAttempts));
            long appsOneGather = appGets.values().stream().filter(v -> v == 1).count();
            sb.append(String.format(Locale.ROOT, "  evidence: %d gathers for %d alerts (%d shared); container-app GETs per app: %d of %d apps exactly once, max %d%n",
                    gathers, delivered + quiet + ignored, sharedGathers, appsOneGather, apps,
                    appGets.values().stream().mapToLong(Long::longValue).max().orElse(0)));
            sb.append(String.format(Locale.ROOT, "  Azure requests: %d in all (%.1f per app), of which %d Log Analytics queries%n",
                    azureCalls, azureCalls / (double) apps, logQueries));
            long appsOneIncident = incidentsPerApp.values().stream().filter(v -> v == 1).count();
            sb.append(String.format(Locale.ROOT, "  incidents: %d of %d apps have exactly one; notes delivered: %d (max per app %d)%n",
                    appsOneIncident, apps, notesPerApp.values().stream().mapToLong(Long::longValue).sum(),
                    notesPerApp.values().stream().mapToLong(Long::longValue).max().orElse(0)));
            return sb.toString();
        }
    }

    /** Runs a storm against a fresh fleet and responder; everything is closed afterwards. */
    static Report run(int apps, int alertsPerApp, long seed, int workers, Duration timeout) throws Exception {
        if (alertsPerApp < 1) {
            throw new IllegalArgumentException("at least one alert per app");
        }
        try (SimulatedFleet fleet = SimulatedFleet.start(apps, seed, SimulatedFleet.STORM_SCENARIOS, null)) {
            Settings settings = fleet.settings();
            var store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
            TallyNotifier sink = new TallyNotifier();
            List<Notifier> sinks = List.of(sink);
            CoalescingEvidenceSource evidence = new CoalescingEvidenceSource(
                    AzureEvidenceSource.fromSettings(settings, fleet.clock()), fleet.clock());
            AlertIntake intake = new AlertIntake(io.oomresponder.intake.ScopeGuard.fromSettings(settings), fleet.clock());
            try (Responder responder = new Responder(evidence, store, new NoteRenderer(), SinkRoutes.toAll(sinks),
                    new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), fleet.clock()), fleet.clock(), "memory", intake);
                 InProcessServe serve = new InProcessServe(responder, intake, workers, InMemoryAlertQueue.DEFAULT_CAPACITY,
                         Duration.ofSeconds(1), null)) {
                List<byte[]> payloads = new ArrayList<>();
                for (int n = 0; n < alertsPerApp; n++) {
                    for (int i = 0; i < apps; i++) {
                        boolean resend = alertsPerApp > 1 && n == alertsPerApp - 1;
                        int number = resend ? 0 : n;
                        payloads.add(fleet.payload(i, number, FIRING_SPACING.multipliedBy(number)));
                    }
                }
                long t0 = System.nanoTime();
                AtomicLong accepted = new AtomicLong();
                ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
                try {
                    List<Future<?>> sent = new ArrayList<>();
                    for (int s = 0; s < SENDERS; s++) {
                        int first = s;
                        sent.add(senders.submit(() -> {
                            for (int k = first; k < payloads.size(); k += SENDERS) {
                                if (serve.postAlert(payloads.get(k)) == 202) {
                                    accepted.incrementAndGet();
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : sent) {
                        f.get();
                    }
                } finally {
                    senders.shutdownNow();
                }
                long sendMs = (System.nanoTime() - t0) / 1_000_000;
                boolean finished = serve.awaitFinished(accepted.get(), timeout);
                long totalMs = (System.nanoTime() - t0) / 1_000_000;

                List<RecordedRequest> requests = fleet.azure().requests();
                Map<String, Long> appGets = new java.util.TreeMap<>();
                Map<String, Integer> incidents = new java.util.TreeMap<>();
                for (int i = 0; i < apps; i++) {
                    String id = fleet.appResourceId(i);
                    appGets.put(id.toLowerCase(Locale.ROOT), requests.stream()
                            .filter(r -> r.endpoint() == FakeEndpoint.ARM && r.method().equals("GET")
                                    && decode(r.rawPath()).equalsIgnoreCase(id))
                            .count());
                    incidents.put(id.toLowerCase(Locale.ROOT), store.incidents(id, 100).size());
                }
                int logQueries = (int) requests.stream().filter(r -> r.endpoint() == FakeEndpoint.LOGS).count();
                return new Report(apps, payloads.size(), accepted.get(), serve.count(Status.DELIVERED), serve.count(Status.DUPLICATE),
                        serve.count(Status.QUIET), serve.count(Status.IGNORED), serve.failedAttempts(), serve.poisoned(),
                        evidence.gathers(), evidence.shared(), appGets, requests.size(), logQueries, incidents, sink.perApp(),
                        sendMs, totalMs, finished);
            }
        }
    }

    private static String decode(String rawPath) {
        return java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }
}
