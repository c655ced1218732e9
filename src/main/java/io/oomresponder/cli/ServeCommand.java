package io.oomresponder.cli;

import io.oomresponder.host.AlertQueue;
import io.oomresponder.host.InMemoryAlertQueue;
import io.oomresponder.host.LocalServer;
import io.oomresponder.host.QueueWorkers;
import io.oomresponder.host.ServeAccess;
import io.oomresponder.host.ServeLimits;
import io.oomresponder.host.StorageAlertQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.AlertReconciler;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.store.ReceivedAlerts;
import io.oomresponder.pipeline.ClaimTiming;
import io.oomresponder.pipeline.PoisonRedrive;
import io.oomresponder.store.StoreRetention;
import io.oomresponder.pipeline.Runtime;
import io.oomresponder.config.Settings;
import io.oomresponder.pipeline.SettingsCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve}: the Function app's routes on a local HTTP server, processing the queue in-process,
 * so oom-responder runs without Azure Functions Core Tools (and as a plain container).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves the Function app's routes (POST /api/alerts, POST /api/replay, GET /api/health) on a local HTTP server.",
                "Without AzureWebJobsStorage the queue and incident state are kept in memory.",
                "Refuses to start (exit 2) unless a sink is configured (TEAMS_WEBHOOK_URL, JIRA_URL, ...) or NOTE_FILE_DIR says where notes go (a folder, or - for stdout)."})
final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", defaultValue = "7071", description = "Port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 in a container).")
    String bind;

    @Option(names = "--workers", defaultValue = "2", description = "Queue worker threads (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queue-capacity", defaultValue = "" + InMemoryAlertQueue.DEFAULT_CAPACITY,
            description = "In-memory queue size; when full, alerts get 503 with Retry-After, which action groups retry (default ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--visibility-timeout", defaultValue = "PT75S",
            description = "How long a failed alert waits before the queue hands it out again, and how long a received one stays hidden between renewals (ISO-8601; default ${DEFAULT-VALUE}, host.json's visibilityTimeout).")
    String visibilityTimeout;
    @Option(names = "--insecure-no-auth", description = "Serve a non-loopback address without SERVE_API_KEY (anyone who can reach it may post alerts and replays). Refused otherwise.")
    boolean insecureNoAuth;

    private final Settings given;

    ServeCommand() {
        this(null);
    }

    /** @param settings the settings to use instead of the environment (tests) */
    ServeCommand(Settings settings) {
        this.given = settings;
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = System.err;
        if (port < 0 || port > 65535 || workers < 1 || workers > 64 || queueCapacity < 1) {
            err.println("oom-responder serve: --port must be 0..65535, --workers 1..64, --queue-capacity at least 1.");
            return 2;
        }
        Settings settings = given != null ? given : Settings.fromEnvironment();
        ScopeGuard scope;
        ServeAccess access;
        ServeLimits limits;
        try {
            // Before listening: a bad value must stop serve before it says "serving on", not fail its first alert.
            SettingsCheck.check(settings);
            scope = ScopeGuard.fromSettings(settings);
            access = ServeAccess.fromSettings(settings);
            limits = ServeLimits.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            err.println("oom-responder serve: " + e.getMessage());
            return 2;
        }
        ClaimTiming timing;
        Duration visibility;
        try {
            visibility = Duration.parse(visibilityTimeout);
            if (visibility.toMillis() < 1000) {
                throw new IllegalArgumentException("--visibility-timeout must be at least PT1S");
            }
            timing = ClaimTiming.forServe(settings, AlertQueue.MAX_DEQUEUE_COUNT, visibility);
            StoreRetention.fromSettings(settings);
        } catch (RuntimeException e) {
            // A lease that could outlast the queue's last delivery loses alerts after a crash: refuse to start.
            err.println("oom-responder serve: " + e.getMessage());
            return 2;
        }
        Optional<String> refusal = refusal(bind, access.keyRequired(), insecureNoAuth, scope)
                .or(() -> io.oomresponder.delivery.Sinks.noDestination(settings));
        if (refusal.isPresent()) {
            err.println("oom-responder serve: " + refusal.get());
            return 2;
        }
        if (insecureNoAuth && !access.keyRequired()) {
            for (int i = 0; i < 3; i++) {
                err.println("WARNING: --insecure-no-auth: serving " + bind + " WITHOUT AUTHENTICATION. Anyone who can reach this address can post alerts and replays. Set SERVE_API_KEY.");
            }
            LOG.warn("serving {} without authentication (--insecure-no-auth)", bind);
        }
        AlertIntake intake = Runtime.intake();
        AlertQueue queue = StorageAlertQueue.configured(settings)
                ? StorageAlertQueue.fromSettings(settings, visibility)
                : new InMemoryAlertQueue(queueCapacity, visibility);
        String version = new VersionProvider().getVersion()[0];
        CountDownLatch stopped = new CountDownLatch(1);
        CompletableFuture<Responder> ready = new CompletableFuture<>();
        try (queue;
             LocalServer server = new LocalServer(new InetSocketAddress(bind, port), intake, () -> ready.getNow(null), queue,
                     access, limits, version)) {
            // Listen first: an alert needs only intake and the queue to get its 202 (action groups back off
            // from slow endpoints); it waits in the queue while the Azure clients are built below.
            server.start();
            err.println(version + " serving on http://" + bind + ":" + server.port() + "/api (alerts, replay, health)");
            Responder responder = Runtime.responder();
            ready.complete(responder);
            // The RedeliverNotes timer's job: notes a sink did not take are tried again until they go through or age out.
            Duration every = settings.duration("REDELIVERY_INTERVAL", Duration.ofMinutes(1));
            redelivery.scheduleWithFixedDelay(() -> redeliver(responder), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            // The RedrivePoisonedAlerts and SweepStore timers' jobs.
            PoisonRedrive redrive = PoisonRedrive.fromSettings(settings, queue.poison(), responder, java.time.Clock.systemUTC());
            redelivery.scheduleWithFixedDelay(() -> guarded("poison re-drive", redrive::sweep), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
            StoreRetention retention = StoreRetention.fromSettings(settings);
            // The ReconcileAlerts timer's job: alerts Azure Monitor fired that never arrived are queued now.
            ReceivedAlerts received = Runtime.receivedAlerts();
            redelivery.scheduleWithFixedDelay(() -> guarded("retention sweep", () -> responder.sweepRetention(retention)
                            .withReceipts(received.sweep(retention.receiptsBefore(java.time.Instant.now())))),
                    RETENTION_SWEEP_EVERY.toMillis(), RETENTION_SWEEP_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            AlertReconciler reconciler = Runtime.reconciler();
            server.showReconcile(reconciler::last);
            Duration reconcileEvery = settings.duration("RECONCILE_INTERVAL", Duration.ofMinutes(5));
            redelivery.scheduleWithFixedDelay(() -> reconcile(reconciler, queue), reconcileEvery.toMillis(), reconcileEvery.toMillis(), TimeUnit.MILLISECONDS);
            try (QueueWorkers pool = new QueueWorkers(queue, message -> {
                AlertReconciler.recordReceipt(received, message);
                return responder.respond(message);
            }, workers, visibility, timing.handlerBudget()).withReceipts(receipts -> AlertReconciler.recordReceipts(received, receipts))) {
                pool.start();
                err.println("queue: " + (queue.mode().equals("memory")
                        ? "in memory (capacity " + queueCapacity + "); incident state: " + responder.storeMode() + "; nothing survives a restart"
                        : "Azure Storage queue 'alerts' (poison: 'alerts-poison'); incident state: " + responder.storeMode()));
                err.println(scope.describe() + "; API key " + (access.keyRequired() ? "required (x-functions-key)" : "not required (SERVE_API_KEY unset)")
                        + "; replay delivery " + (access.replayDeliveryKey() != null ? "with " + ServeAccess.REPLAY_DELIVERY_KEY : "off"));
                java.lang.Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "serve-stop"));
                stopped.await();
                err.println("stopping");
            }
        } catch (BindException e) {
            throw CommandFailure.runtime("cannot listen on " + bind + ":" + port + ": " + e.getMessage()
                    + " (another process has the port; choose another with --port)");
        } finally {
            redelivery.shutdownNow();
        }
        return 0;
    }

    /**
     * Why serve must not start with this bind address and configuration, or empty. Fails closed: a
     * non-loopback address needs {@code SERVE_API_KEY} (or an explicit {@code --insecure-no-auth}) and
     * always {@code ALLOWED_SUBSCRIPTIONS}; production needs {@code ALLOWED_SUBSCRIPTIONS} too.
     */
    static Optional<String> refusal(String bind, boolean keySet, boolean insecureNoAuth, ScopeGuard scope) {
        if (scope.production() && !scope.configured()) {
            return Optional.of("ALLOWED_SUBSCRIPTIONS must be set in production (FUNCTIONS_WORKER_RUNTIME or WEBSITE_SITE_NAME is set). Use * to allow every subscription.");
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return Optional.of("--bind " + bind + " is not an address of this machine");
        }
        if (loopback) {
            return Optional.empty();
        }
        if (!scope.configured()) {
            return Optional.of("--bind " + bind + " is not loopback: set ALLOWED_SUBSCRIPTIONS (subscription ids, or * to allow every one); without it only 127.0.0.1 / ::1 may serve.");
        }
        if (!keySet && !insecureNoAuth) {
            return Optional.of("--bind " + bind + " is not loopback: set SERVE_API_KEY (or pass --insecure-no-auth to serve without authentication).");
        }
        return Optional.empty();
    }

    private final ScheduledExecutorService redelivery = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "redeliver-notes");
        t.setDaemon(true);
        return t;
    });

    /** One reconcile round: queue what never arrived; the reconciler logs silent apps itself. */
    static void reconcile(AlertReconciler reconciler, AlertQueue queue) {
        try {
            for (QueuedAlert missing : reconciler.sweep().missing()) {
                if (!queue.offer(missing.toJson())) {
                    LOG.warn("reconcile: the queue did not take {}; the next round finds it again", missing.dedupeKey());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("reconcile round failed: {}", e.toString());
        }
    }

    /** How often serve deletes what the store no longer keeps (the SweepStore timer runs daily). */
    static final Duration RETENTION_SWEEP_EVERY = Duration.ofHours(1);

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // The next round tries again; nothing is removed from a queue or table before it is handled.
            LOG.warn("{} failed: {}", what, e.toString());
        }
    }

    private static void redeliver(Responder responder) {
        try {
            int delivered = responder.redeliverDue();
            if (delivered > 0) {
                LOG.info("redelivered {} note(s)", delivered);
            }
        } catch (RuntimeException e) {
            // The next round tries again; the notes stay stored.
            LOG.warn("redelivery round failed: {}", e.toString());
        }
    }

}
