package io.oomresponder.evidence.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.monitor.query.models.LogsQueryOptions;
import com.azure.monitor.query.models.LogsQueryResult;
import com.azure.monitor.query.models.MetricsQueryOptions;
import com.azure.monitor.query.models.QueryTimeInterval;
import com.azure.resourcemanager.appcontainers.ContainerAppsApiManager;
import com.azure.resourcemanager.appcontainers.models.ContainerApp;
import com.azure.resourcemanager.appcontainers.models.ManagedEnvironment;
import com.azure.resourcemanager.appcontainers.models.Revision;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.EvidenceWindowPolicy;
import io.oomresponder.evidence.IdleBoundedMap;
import io.oomresponder.evidence.GatherTimings;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.evidence.azure.EvidenceQueries.TableFamily;
import io.oomresponder.evidence.azure.MetricsEvidenceReader.MetricGroup;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers the playbook's evidence for an alert from Azure with the real SDK clients: the app,
 * its revisions and the replicas of each active revision (ARM), one per-resource metrics call per
 * group of metrics that share their dimensions ({@link MetricsEvidenceReader#GROUPS}), and the
 * system events and console lines around restarts (Log Analytics), all at once on a bounded
 * executor. Each source has its own deadline; a call that fails becomes a gap (one per metrics
 * group, carrying Azure's error code and message) and the rest goes on, so {@link #gather} never
 * throws for Azure trouble.
 *
 * <p>One round, never two: metrics and logs are read at once over the widest window the gather may
 * need ({@link EvidenceWindowPolicy#widened}); whether to widen is then judged on the initial
 * window's slice, and the bundle keeps the slice of the window it uses, the same samples and rows a
 * query over that window returns (both windows end at the same time, and the queries keep the
 * newest rows). Only the dependency that cannot be avoided remains: the logs wait for the workspace,
 * which the environment names (its own workspace, or through its diagnostic settings, read beside
 * it), and the environment is named by the app. The first gather for an environment is thus at
 * most four calls deep (app, diagnostic settings, workspace, logs); the environment, its workspaces
 * and each app's environment id are remembered, the first two for {@link #ENVIRONMENT_LIFETIME}
 * (where an environment sends its logs can change), so a later alert's logs start at once and its
 * critical path is the app's revisions then their replicas.
 */
public final class AzureEvidenceSource implements EvidenceSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AzureEvidenceSource.class);

    public static final String LOG_ANALYTICS_WORKSPACE_ID = "LOG_ANALYTICS_WORKSPACE_ID";
    public static final String EVIDENCE_SOURCE_TIMEOUT = "EVIDENCE_SOURCE_TIMEOUT";
    public static final String EVIDENCE_THREADS = "EVIDENCE_THREADS";
    public static final String EVIDENCE_METRICS_TOP = "EVIDENCE_METRICS_TOP";

    static final Duration DEFAULT_SOURCE_TIMEOUT = Duration.ofSeconds(45);
    /** Calls block a thread each (sync clients); one gather has up to ~8 in flight. */
    static final int DEFAULT_THREADS = 16;
    /** Time series per metric; the service's default of 10 would drop replicas of a scaled-out app. */
    static final int DEFAULT_METRICS_TOP = 100;

    /** At most this many subscriptions are searched for a queue's namespace (one list call each, all at once). */
    static final int MAX_QUEUE_SUBSCRIPTIONS = 10;

    static final String ARM = "arm";
    static final String METRICS = "metrics";
    static final String LOGS = "logs";

    private static final String NAMESPACE = "Microsoft.App/containerApps";

    /**
     * How long an environment as read (its workload profiles, where it sends its logs) and the
     * workspaces found for it are used before being read again: long enough for an alert storm in
     * one environment to read them once, short enough that a changed log destination or diagnostic
     * setting is followed within minutes (and at once when the remembered workspace fails).
     */
    public static final Duration ENVIRONMENT_LIFETIME = Duration.ofMinutes(15);

    private final AzureClients clients;
    private final EvidenceWindowPolicy windows;
    private final Clock clock;
    private final Duration sourceTimeout;
    private final int metricsTop;
    private final Optional<String> configuredWorkspace;
    private final DiagnosticSettingsReader diagnosticSettings;
    private final AppResolver resolver;
    /** An app's environment is set when the app is created and never changes; bounded, forgotten after a day unused. */
    private final IdleBoundedMap<String, String> environmentIdByApp = new IdleBoundedMap<>(10_000, Duration.ofDays(1));
    /** Environments as last read, each for {@link #ENVIRONMENT_LIFETIME} (by lower-case id). */
    private final IdleBoundedMap<String, ManagedEnvironment> environmentById;
    /** Where each environment's logs can be read, each for {@link #ENVIRONMENT_LIFETIME} (by lower-case id). */
    private final IdleBoundedMap<String, LogWorkspaces> workspacesByEnvironment;
    private final ThreadPoolExecutor executor;
    /** Reads the backlog of the queue a scale rule names (issue 27). */
    private final QueueBacklogReader queueBacklog;
    /**
     * Queue resources found by type and name (lower case), each for {@link #ENVIRONMENT_LIFETIME}: a
     * namespace keeps its id while it exists, and one deleted and made again elsewhere is found anew.
     */
    private final IdleBoundedMap<String, String> queueResourceIds;
    /** Subscriptions besides the app's where a queue's namespace is looked for: ALLOWED_SUBSCRIPTIONS when it lists them. */
    private final List<String> queueSubscriptions;

    /**
     * @param clients  the SDK clients (built once per process)
     * @param settings EVIDENCE_LOOKBACK, EVIDENCE_MAX_LOOKBACK, EVIDENCE_SOURCE_TIMEOUT, EVIDENCE_THREADS,
     *                 EVIDENCE_METRICS_TOP, LOG_ANALYTICS_WORKSPACE_ID
     * @param clock    "now", which only caps the window's end
     */
    public AzureEvidenceSource(AzureClients clients, Settings settings, Clock clock) {
        this(clients, settings, clock, System::nanoTime);
    }

    /** @param nanoTime what the environment cache's lifetime is measured on (tests pass a fake one) */
    AzureEvidenceSource(AzureClients clients, Settings settings, Clock clock, java.util.function.LongSupplier nanoTime) {
        this.environmentById = IdleBoundedMap.expiringAfterWrite(1_000, ENVIRONMENT_LIFETIME, nanoTime);
        this.workspacesByEnvironment = IdleBoundedMap.expiringAfterWrite(1_000, ENVIRONMENT_LIFETIME, nanoTime);
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.windows = EvidenceWindowPolicy.from(settings);
        this.sourceTimeout = settings.duration(EVIDENCE_SOURCE_TIMEOUT, DEFAULT_SOURCE_TIMEOUT);
        this.metricsTop = settings.integer(EVIDENCE_METRICS_TOP, DEFAULT_METRICS_TOP);
        this.configuredWorkspace = settings.get(LOG_ANALYTICS_WORKSPACE_ID);
        this.diagnosticSettings = new DiagnosticSettingsReader(clients.armPipeline(), clients.endpoints().resourceManager());
        io.oomresponder.intake.ScopeGuard scope = io.oomresponder.intake.ScopeGuard.fromSettings(settings);
        this.resolver = new AppResolver(clients, diagnosticSettings, scope);
        this.queueBacklog = new QueueBacklogReader(clients.armPipeline(), clients.endpoints().resourceManager(), clients.metrics());
        this.queueResourceIds = IdleBoundedMap.expiringAfterWrite(1_000, ENVIRONMENT_LIFETIME, nanoTime);
        this.queueSubscriptions = scope.anySubscription() ? List.of()
                : scope.subscriptions().stream().sorted().limit(MAX_QUEUE_SUBSCRIPTIONS).toList();
        int threads = settings.integer(EVIDENCE_THREADS, DEFAULT_THREADS);
        if (threads < 1) {
            throw new IllegalArgumentException("setting " + EVIDENCE_THREADS + " must be at least 1, was " + threads);
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "evidence-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Builds the clients from the same settings (production, demo and tests). */
    public static AzureEvidenceSource fromSettings(Settings settings, Clock clock) {
        return new AzureEvidenceSource(AzureClients.from(settings), settings, clock);
    }

    /**
     * Gets the clients ready before the first alert (see {@link AzureClients#warmUp}).
     *
     * @return how long it took, in milliseconds
     */
    public long warmUp(java.util.Collection<String> subscriptionIds) {
        long t0 = System.nanoTime();
        clients.warmUp(subscriptionIds);
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Finds the app of a workspace-scoped log alert through ARM ({@link AppResolver}). */
    @Override
    public io.oomresponder.evidence.AppResolution resolveApp(AlertSignal alert) {
        return resolver.resolve(alert);
    }

    @Override
    public EvidenceBundle gather(AlertSignal alert) {
        return gatherTimed(alert).bundle();
    }

    /** Gathers the evidence and reports what it cost. Never throws for Azure failures; they become gaps. */
    @Override
    public GatheredEvidence gatherTimed(AlertSignal alert) {
        Objects.requireNonNull(alert, "alert");
        long started = System.nanoTime();
        EvidenceWindow window = windows.initial(alert, clock.instant());
        Optional<ContainerAppId> id = ContainerAppId.parseLenient(alert.targetResourceId());
        if (id.isEmpty()) {
            // Intake rejects these; a replayed or hand-made alert might still carry one.
            AppConfig app = new AppConfig(alert.targetResourceId(), "unknown", null, null, null, List.of(), null, null, null, null, List.of());
            List<EvidenceGap> gaps = List.of(new EvidenceGap(ARM, "target is not a container app id"),
                    new EvidenceGap(METRICS, "target is not a container app id"), new EvidenceGap(LOGS, "target is not a container app id"));
            return new GatheredEvidence(new EvidenceBundle(EvidenceBundle.SCHEMA_VERSION, alert, window, app, List.of(), List.of(),
                    List.of(), List.of(), gaps), GatherTimings.none(elapsedMs(started)));
        }
        Gather g = new Gather(alert, id.get());
        EvidenceBundle bundle = g.run(window, windows.widened(alert, clock.instant()).orElse(window));
        List<String> path = g.ledger.criticalPath().stream().map(c -> c.what() + " " + (c.startNanos() - started) / 1_000_000L + "-"
                + (c.endNanos() - started) / 1_000_000L + " ms").toList();
        return new GatheredEvidence(bundle, new GatherTimings(elapsedMs(started), g.ledger.calls(), g.ledger.sumOfCallMs(),
                g.ledger.dependentRoundTrips(), path));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000L;
    }

    /** One gather: its calls, ledger, deadline bookkeeping and gaps. */
    private final class Gather {
        private final AlertSignal alert;
        private final ContainerAppId id;
        private final CallLedger ledger = new CallLedger();
        private final Context context;
        private final ContainerAppsApiManager arm;
        private final Map<String, List<FutureTask<?>>> tasks = new ConcurrentHashMap<>();
        private final List<EvidenceGap> gaps = Collections.synchronizedList(new ArrayList<>());
        /** Whether the environment came from memory (then read again if it lacks the app's workload profile). */
        private volatile boolean environmentRemembered;
        /** The workspace whose system events were read (AppConfig.workspaceId). */
        private final java.util.concurrent.atomic.AtomicReference<String> systemAnsweredFrom = new java.util.concurrent.atomic.AtomicReference<>();

        Gather(AlertSignal alert, ContainerAppId id) {
            this.alert = alert;
            this.id = id;
            this.context = new Context(CallTimingPolicy.LEDGER_KEY, ledger);
            this.arm = clients.arm(id.subscriptionId());
        }

        EvidenceBundle run(EvidenceWindow initial, EvidenceWindow widest) {
            Instant deadline = Instant.now().plus(sourceTimeout);

            // ARM: the app and its revisions at once; replicas of each active revision in parallel.
            CompletableFuture<ContainerApp> app = call(ARM, () ->
                    arm.containerApps().getByResourceGroupWithResponse(id.resourceGroup(), id.name(), context).getValue());
            CompletableFuture<List<Revision>> revisions = call(ARM, () ->
                    arm.containerAppsRevisions().listRevisions(id.resourceGroup(), id.name(), null, context).stream().toList());
            CompletableFuture<List<String>> activeRevisions = revisions
                    .thenApply(revs -> revs.stream().filter(r -> !Boolean.FALSE.equals(r.active())).map(Revision::name).toList())
                    .exceptionallyCompose(e -> app.thenApply(a -> Optional.ofNullable(ArmEvidenceReader.latestRevision(a)).map(List::of).orElse(List.of())));
            CompletableFuture<List<Replica>> replicas = activeRevisions.thenCompose(this::replicasOf);

            // The app's environment: remembered from an earlier gather of this app, or named by the app.
            String appKey = lower(id.resourceId());
            String knownEnvironmentId = environmentIdByApp.get(appKey);
            CompletableFuture<String> environmentId = knownEnvironmentId != null ? CompletableFuture.completedFuture(knownEnvironmentId)
                    : app.thenApply(a -> {
                        String e = ArmEvidenceReader.environmentId(a);
                        if (e == null) {
                            throw new MissingPrerequisite("the app names no managed environment");
                        }
                        environmentIdByApp.put(appKey, e);
                        return e;
                    });
            // The environment declares the app's workload profile and (unless configured or remembered)
            // where its logs go; read again when the app names a profile the remembered one lacks.
            CompletableFuture<ManagedEnvironment> environment = environmentId.thenCompose(this::environmentOf);
            CompletableFuture<ManagedEnvironment> profiled = app.thenCombine(environment, (a, env) -> a)
                    .thenCompose(a -> environment.thenCompose(env -> !environmentRemembered || ArmEvidenceReader.declares(env, a.workloadProfileName())
                            ? CompletableFuture.completedFuture(env) : readEnvironment(ArmEvidenceReader.environmentId(a))));

            // Workspaces: remembered for the environment, configured (LOG_ANALYTICS_WORKSPACE_ID, the
            // environment then only says which table family), or found through the environment: its own
            // workspace (destination log-analytics) or its diagnostic settings (destination azure-monitor).
            LogWorkspaces known = knownEnvironmentId == null ? null : workspacesByEnvironment.get(lower(knownEnvironmentId));
            CompletableFuture<LogWorkspaces> workspace;
            if (known != null) {
                workspace = CompletableFuture.completedFuture(known);
            } else if (configuredWorkspace.isPresent()) {
                workspace = environment.handle((env, e) -> LogWorkspaces.single(configuredWorkspace.get(),
                        env == null || env.appLogsConfiguration() == null ? null : TableFamily.ofDestination(env.appLogsConfiguration().destination()),
                        LOG_ANALYTICS_WORKSPACE_ID));
            } else {
                // The diagnostic settings need only the environment's id, so they are read beside the
                // environment rather than after it: one ARM round trip less before the logs for an
                // azure-monitor environment, one unused call for a log-analytics one (first gather only).
                CompletableFuture<LogWorkspaces> fromSettings = environmentId.thenCompose(envId -> call(ARM,
                        () -> diagnosticSettings.workspacesOf(envId, context)));
                workspace = environment.exceptionally(e -> {
                            throw new MissingPrerequisite("workspace unknown: " + (app.isCompletedExceptionally() ? "container app" : "managed environment")
                                    + " unavailable and " + LOG_ANALYTICS_WORKSPACE_ID + " not set");
                        })
                        .thenCompose(env -> workspacesOf(env, fromSettings));
            }
            workspace = workspace.thenApply(ws -> {
                String envId = valueOrNull(environmentId);
                if (ws.family() != null && envId != null) {
                    workspacesByEnvironment.put(lower(envId), ws);
                }
                return ws;
            });

            // Metrics and logs over the widest window, at once: no second round when the window widens.
            Map<MetricGroup, CompletableFuture<List<MetricSeries>>> metrics = metricsIn(widest, app);
            // The backlog of the queue the app scales on: app -> resource lookup -> metrics, beside the logs' chain.
            CompletableFuture<List<MetricSeries>> queues = queueBacklogs(app, widest);
            // The log queries also filter on the app's environment (issue 26): one workspace may hold the
            // logs of same-named apps in several environments. Unknown (no filter) when it could not be read.
            CompletableFuture<String> environmentName = environmentId.handle((envId, e) -> e != null ? null : EvidenceQueries.environmentName(envId));
            CompletableFuture<List<SystemLogEvent>> system = workspace.thenCombine(environmentName, (ws, env) -> new Object[]{ws, env})
                    .thenCompose(p -> systemEventsIn((LogWorkspaces) p[0], (String) p[1], widest));
            CompletableFuture<List<ConsoleLine>> console = workspace.thenCombine(environmentName, (ws, env) -> new Object[]{ws, env})
                    .thenCompose(p -> consoleLinesIn((LogWorkspaces) p[0], (String) p[1], widest));

            ContainerApp appResult = await(ARM, io.oomresponder.evidence.AppAbsence.APP_READ, app, deadline);
            List<Revision> revisionResult = await(ARM, "revisions", revisions, deadline);
            List<Replica> replicaResult = await(ARM, "replicas", replicas, deadline);
            // Without the app there is no environment to ask; the app's gap says so already.
            ManagedEnvironment environmentResult = appResult == null ? null : await(ARM, "managed environment", profiled, deadline);
            Map<MetricGroup, List<MetricSeries>> metricResults = new java.util.LinkedHashMap<>();
            for (var call : metrics.entrySet()) {
                metricResults.put(call.getKey(), await(METRICS, call.getKey().label(), call.getValue(), deadline));
            }
            List<MetricSeries> queueResult = appResult == null ? null : await(METRICS, "queue backlog", queues, deadline);
            LogWorkspaces workspaceResult = await(LOGS, "workspace", workspace, deadline);
            // Without a workspace both queries fail for the same reason; one gap says it.
            List<SystemLogEvent> systemResult = workspaceResult == null ? null : await(LOGS, "system events", system, deadline);
            List<ConsoleLine> consoleResult = workspaceResult == null ? null : await(LOGS, "console lines", console, deadline);
            if (systemResult == null && consoleResult == null) {
                // Perhaps the environment moved to another workspace: ask ARM again next time.
                String envId = valueOrNull(environmentId);
                if (envId != null) {
                    workspacesByEnvironment.remove(lower(envId));
                    environmentById.remove(lower(envId));
                }
            }

            // Widen when growth began before the initial window, judged on that window's slice as a
            // first pass over it would have; otherwise keep the initial window's slice.
            EvidenceWindow used = initial;
            if (!widest.equals(initial)) {
                List<MetricSeries> firstPass = within(metricResults, initial);
                Long limit = appResult == null ? null : AppConfigs.limitBytes(appResult);
                if (windows.growthBeganBeforeWindow(workingSetMaxima(firstPass), limit)) {
                    LOG.info("alert {}: memory was already high and rising at the window start; widening to {}", alert.id(), widest.start());
                    used = widest;
                } else {
                    requeryCutGroups(metricResults, initial, deadline);
                }
            }
            List<MetricSeries> metricResult = new ArrayList<>(within(metricResults, used));
            if (queueResult != null) {
                metricResult.addAll(within(Map.of(QUEUE_GROUP, queueResult), used));
            }
            EvidenceWindow window = used;
            systemResult = systemResult == null ? null : systemResult.stream().filter(e -> inWindow(e.time(), window)).toList();
            consoleResult = consoleResult == null ? null : consoleResult.stream().filter(l -> inWindow(l.time(), window)).toList();

            String answered = systemAnsweredFrom.get() != null ? systemAnsweredFrom.get()
                    : workspaceResult == null || workspaceResult.system().isEmpty() ? null : workspaceResult.system().get(0);
            AppConfig appConfig = appConfig(appResult, environmentResult, revisionResult, answered);
            return new EvidenceBundle(EvidenceBundle.SCHEMA_VERSION, alert, used, appConfig,
                    replicaResult == null ? List.of() : replicaResult,
                    metricResult,
                    systemResult == null ? List.of() : systemResult,
                    consoleResult == null ? List.of() : consoleResult,
                    List.copyOf(gaps));
        }

        /**
         * A group whose wide answer holds {@code metricsTop} series of one metric may have been cut by
         * {@code top} (the widest window can hold more replicas than the initial one): asked again over
         * the initial window, so the bundle has what a query over it returns. Rare: an app that had
         * that many replicas in a day.
         */
        private void requeryCutGroups(Map<MetricGroup, List<MetricSeries>> results, EvidenceWindow initial, Instant deadline) {
            Map<MetricGroup, CompletableFuture<List<MetricSeries>>> again = new java.util.LinkedHashMap<>();
            for (var r : results.entrySet()) {
                if (r.getValue() != null && mayBeCut(r.getKey(), r.getValue())) {
                    again.put(r.getKey(), metricsCall(r.getKey(), initial));
                }
            }
            for (var call : again.entrySet()) {
                LOG.info("alert {}: {} may have been cut at {} series over the widest window; asked again over the initial one",
                        alert.id(), call.getKey().label(), metricsTop);
                results.put(call.getKey(), await(METRICS, call.getKey().label(), call.getValue(), deadline));
            }
        }

        private boolean mayBeCut(MetricGroup group, List<MetricSeries> series) {
            Map<String, Integer> perMetric = new java.util.HashMap<>();
            for (MetricSeries s : series) {
                if (perMetric.merge(s.name() + "/" + s.aggregation(), 1, Integer::sum) >= top(group)) {
                    return true;
                }
            }
            return false;
        }

        private CompletableFuture<List<Replica>> replicasOf(List<String> revisionNames) {
            List<CompletableFuture<List<Replica>>> perRevision = new ArrayList<>();
            for (String revision : revisionNames) {
                perRevision.add(call(ARM, () -> arm.containerAppsRevisionReplicas()
                        .listReplicasWithResponse(id.resourceGroup(), id.name(), revision, context).getValue().value().stream()
                        .map(r -> ArmEvidenceReader.replica(r, revision)).toList())
                        .exceptionally(e -> {
                            gap(ARM, "replicas of " + revision, e);
                            return List.of();
                        }));
            }
            return CompletableFuture.allOf(perRevision.toArray(CompletableFuture[]::new))
                    .thenApply(v -> perRevision.stream().flatMap(f -> f.join().stream()).toList());
        }

        /** The environment as remembered (for {@link #ENVIRONMENT_LIFETIME}), or read. */
        private CompletableFuture<ManagedEnvironment> environmentOf(String environmentId) {
            ManagedEnvironment known = environmentById.get(lower(environmentId));
            environmentRemembered = known != null;
            return known != null ? CompletableFuture.completedFuture(known) : readEnvironment(environmentId);
        }

        private CompletableFuture<ManagedEnvironment> readEnvironment(String environmentId) {
            Optional<String[]> env = ArmEvidenceReader.environmentParts(environmentId);
            if (env.isEmpty()) {
                return CompletableFuture.failedFuture(new MissingPrerequisite("the app names no managed environment"));
            }
            String[] e = env.get();
            ContainerAppsApiManager envArm = clients.arm(e[0]);
            return call(ARM, () -> {
                ManagedEnvironment read = envArm.managedEnvironments().getByResourceGroupWithResponse(e[1], e[2], context).getValue();
                environmentById.put(lower(environmentId), read);
                return read;
            });
        }

        /** The environment's workspaces: its own (log-analytics) or those of its diagnostic settings (azure-monitor). */
        private CompletableFuture<LogWorkspaces> workspacesOf(ManagedEnvironment environment, CompletableFuture<LogWorkspaces> fromSettings) {
            var logs = environment.appLogsConfiguration();
            String destination = logs == null ? null : logs.destination();
            TableFamily family = TableFamily.ofDestination(destination);
            if (family == TableFamily.CUSTOM_LOG || (family == null && logs != null && logs.logAnalyticsConfiguration() != null)) {
                if (logs.logAnalyticsConfiguration() == null || logs.logAnalyticsConfiguration().customerId() == null) {
                    return CompletableFuture.failedFuture(new MissingPrerequisite("the environment's log-analytics destination names no workspace"));
                }
                return CompletableFuture.completedFuture(LogWorkspaces.single(logs.logAnalyticsConfiguration().customerId(),
                        TableFamily.CUSTOM_LOG, "environment"));
            }
            if (family == TableFamily.RESOURCE_SPECIFIC) {
                return fromSettings.thenApply(found -> {
                    if (found.system().size() > 1 || found.console().size() > 1) {
                        LOG.info("alert {}: the environment sends its logs to several workspaces (system {}, console {}); the first that answers is used",
                                alert.id(), found.system().size(), found.console().size());
                    }
                    return found;
                });
            }
            return CompletableFuture.failedFuture(new MissingPrerequisite("the environment sends no logs to Log Analytics (destination "
                    + (destination == null ? "none" : destination.replaceAll("[^A-Za-z0-9_.-]", "")) + ")"));
        }

        /**
         * The backlog series of every queue the app's scale rules name (none without the app): per
         * queue, its resource found by name (remembered), then one metrics call. A queue that cannot
         * be read is one gap saying why; the others go on.
         */
        private CompletableFuture<List<MetricSeries>> queueBacklogs(CompletableFuture<ContainerApp> app, EvidenceWindow window) {
            return app.handle((a, e) -> a == null ? List.<QueueTarget>of() : QueueTarget.of(ArmEvidenceReader.scale(a)))
                    .thenCompose(targets -> {
                        List<CompletableFuture<List<MetricSeries>>> each = new ArrayList<>();
                        for (QueueTarget t : targets) {
                            each.add(queueResource(t)
                                    .thenCompose(resourceId -> call(METRICS, () -> queueBacklog.backlog(t, resourceId, window, metricsTop, context)))
                                    .exceptionally(error -> {
                                        queueGap(t, error);
                                        return List.of();
                                    }));
                        }
                        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                                .thenApply(v -> each.stream().flatMap(f -> f.join().stream()).toList());
                    });
        }

        /**
         * The ARM id of the target's namespace or account: remembered, or listed by type and name in
         * the app's subscription and the app's resource group at once (an identity with
         * resource-group roles only may not list the subscription); only when neither shows it, in
         * ALLOWED_SUBSCRIPTIONS' other subscriptions, at once (a shared messaging subscription).
         * One match is the answer; none, or several, is a gap, never a guess.
         */
        private CompletableFuture<String> queueResource(QueueTarget t) {
            String key = lower(t.service().resourceType + "/" + t.resourceName());
            String known = queueResourceIds.get(key);
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            List<String> near = List.of("/subscriptions/" + id.subscriptionId(),
                    "/subscriptions/" + id.subscriptionId() + "/resourceGroups/" + id.resourceGroup());
            List<String> others = queueSubscriptions.stream().filter(sub -> !sub.equalsIgnoreCase(id.subscriptionId()))
                    .map(sub -> "/subscriptions/" + sub).toList();
            return listed(t, near).thenCompose(first -> first.ids().isEmpty() && !others.isEmpty()
                            ? listed(t, others).thenApply(second -> first.and(second)) : CompletableFuture.completedFuture(first))
                    .thenApply(found -> {
                        if (found.ids().size() == 1) {
                            queueResourceIds.put(key, found.ids().get(0));
                            return found.ids().get(0);
                        }
                        if (found.ids().size() > 1) {
                            throw new MissingPrerequisite(found.ids().size() + " resources of type " + t.service().resourceType + " are named '"
                                    + t.resourceName() + "' (" + String.join(", ", found.ids()) + "); none is chosen");
                        }
                        if (found.failure() != null && found.answered() == 0) {
                            throw new CompletionException(found.failure());
                        }
                        throw new MissingPrerequisite("no " + t.service().label + " named '" + t.resourceName()
                                + "' among the resources the identity can read in " + (others.isEmpty() ? "the app's subscription" : "the app's and ALLOWED_SUBSCRIPTIONS' subscriptions"));
                    });
        }

        /** The matches the lists of these scopes show, all asked at once; a refused list counts as a failure, not as "none". */
        private CompletableFuture<Listed> listed(QueueTarget t, List<String> scopes) {
            List<CompletableFuture<List<String>>> lists = new ArrayList<>();
            for (String scope : scopes) {
                lists.add(call(METRICS, () -> queueBacklog.idsIn(scope, t, context)));
            }
            return CompletableFuture.allOf(lists.stream().map(f -> f.handle((v, e) -> v)).toArray(CompletableFuture[]::new))
                    .thenApply(v -> {
                        Listed out = new Listed(List.of(), 0, null);
                        for (CompletableFuture<List<String>> f : lists) {
                            out = out.and(f.isCompletedExceptionally()
                                    ? new Listed(List.of(), 0, unwrap(f.handle((x, e) -> e).join()))
                                    : new Listed(f.join(), 1, null));
                        }
                        return out;
                    });
        }

        /** A queue that could not be read: one gap, with Azure's code, naming the role a 403 lacks. */
        private void queueGap(QueueTarget t, Throwable error) {
            Throwable e = unwrap(error);
            Integer status = null;
            String code = null;
            if (e instanceof DiagnosticSettingsReader.ArmCallFailed arm) {
                status = arm.status();
                code = arm.code();
            } else if (e instanceof HttpResponseException h && h.getResponse() != null) {
                status = h.getResponse().getStatusCode();
                code = serviceError(e).map(AzureServiceError::code).orElse(null);
            }
            String reason;
            if (status != null && status == 403) {
                reason = AzureSignIn.NOT_AUTHORIZED + " (HTTP 403" + (code == null ? "" : " " + code) + "): the signed-in identity needs Monitoring Reader (or Reader) on the "
                        + t.service().label + " or its resource group (README, Signing in to Azure)";
            } else {
                reason = AzureSignIn.failure(e, METRICS, code).orElseGet(() -> reason(e));
            }
            gaps.add(new EvidenceGap(METRICS, "queue backlog of " + t.describe() + ": " + reason, code));
            LOG.debug("alert {}: queue backlog of {} unavailable: {}", alert.id(), t.describe(), reason);
        }

        /**
         * One per-resource metrics call per group, all at once; the Java groups once the app says
         * its Java metrics are on (or could not be read).
         */
        private Map<MetricGroup, CompletableFuture<List<MetricSeries>>> metricsIn(EvidenceWindow window, CompletableFuture<ContainerApp> app) {
            Map<MetricGroup, CompletableFuture<List<MetricSeries>>> calls = new java.util.LinkedHashMap<>();
            for (MetricGroup group : MetricsEvidenceReader.GROUPS) {
                calls.put(group, metricsCall(group, window));
            }
            for (MetricGroup group : MetricsEvidenceReader.JAVA_GROUPS) {
                calls.put(group, app.handle((a, e) -> e != null || ArmEvidenceReader.javaMetricsEnabled(a))
                        .thenCompose(ask -> ask ? metricsCall(group, window) : CompletableFuture.completedFuture(List.<MetricSeries>of())));
            }
            return calls;
        }

        /** Series per metric a call may return: Java groups hold one per pool, buffer pool, collector or thread state per replica. */
        private int top(MetricGroup group) {
            return MetricsEvidenceReader.JAVA_GROUPS.contains(group) ? metricsTop * MetricsEvidenceReader.JAVA_TOP_FACTOR : metricsTop;
        }

        private CompletableFuture<List<MetricSeries>> metricsCall(MetricGroup group, EvidenceWindow window) {
            QueryTimeInterval span = new QueryTimeInterval(window.start().atOffset(ZoneOffset.UTC), window.end().atOffset(ZoneOffset.UTC));
            MetricsQueryOptions options = new MetricsQueryOptions()
                    .setMetricNamespace(NAMESPACE)
                    .setTimeInterval(span)
                    .setGranularity(window.grain())
                    .setAggregations(group.aggregations())
                    .setFilter(group.filter())
                    .setTop(top(group));
            return call(METRICS, () -> MetricsEvidenceReader.series(clients.metrics()
                    .queryResourceWithResponse(resourceUri(id.resourceId()), group.metrics(), options, context).getValue()));
        }

        private CompletableFuture<List<SystemLogEvent>> systemEventsIn(LogWorkspaces ws, String environment, EvidenceWindow window) {
            return call(LOGS, () -> firstAnswer(ws.system(), ws.families(), family -> EvidenceQueries.systemEvents(id.name(), environment, family),
                    LogsEvidenceReader::systemEvents, window, systemAnsweredFrom));
        }

        private CompletableFuture<List<ConsoleLine>> consoleLinesIn(LogWorkspaces ws, String environment, EvidenceWindow window) {
            return call(LOGS, () -> firstAnswer(ws.console(), ws.families(), family -> EvidenceQueries.consoleAroundRestarts(id.name(), environment, family),
                    LogsEvidenceReader::consoleLines, window, new java.util.concurrent.atomic.AtomicReference<>()));
        }

        /**
         * The rows of the first workspace (and, when the family is unknown, the first family) that
         * answers; when none does, the last failure, saying how many were tried.
         */
        private <T> T firstAnswer(List<String> workspaceIds, List<TableFamily> families, java.util.function.Function<TableFamily, String> kql,
                                  java.util.function.Function<LogsQueryResult, T> read, EvidenceWindow window,
                                  java.util.concurrent.atomic.AtomicReference<String> answeredFrom) {
            if (workspaceIds.isEmpty()) {
                throw new MissingPrerequisite("no diagnostic setting sends this log category to a workspace");
            }
            RuntimeException last = null;
            int tried = 0;
            for (String workspaceId : workspaceIds) {
                for (TableFamily family : families) {
                    tried++;
                    try {
                        T rows = read.apply(query(workspaceId, kql.apply(family), window));
                        answeredFrom.set(workspaceId);
                        return rows;
                    } catch (RuntimeException e) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw e;
                        }
                        last = e;
                    }
                }
            }
            if (tried > 1) {
                throw new MissingPrerequisite(reason(last) + " (" + tried + " workspace/table queries tried)");
            }
            throw last;
        }

        private LogsQueryResult query(String workspaceId, String kql, EvidenceWindow window) {
            QueryTimeInterval span = new QueryTimeInterval(window.start().atOffset(ZoneOffset.UTC), window.end().atOffset(ZoneOffset.UTC));
            LogsQueryResult result = clients.logs().queryWorkspaceWithResponse(workspaceId, kql, span, new LogsQueryOptions(), context).getValue();
            if (result.getError() != null) {
                throw new LogsQueryFailed(result.getError().getCode());
            }
            return result;
        }

        /** Runs {@code work} on the executor as part of {@code source}, so a timeout can interrupt it. */
        private <T> CompletableFuture<T> call(String source, Callable<T> work) {
            CompletableFuture<T> result = new CompletableFuture<>();
            FutureTask<Void> task = new FutureTask<>(() -> {
                try {
                    result.complete(work.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
                return null;
            });
            tasks.computeIfAbsent(source, s -> Collections.synchronizedList(new ArrayList<>())).add(task);
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(e);
            }
            return result;
        }

        /** The result, or null with a gap recorded when it failed or missed the deadline. */
        private <T> T await(String source, String what, CompletableFuture<T> future, Instant deadline) {
            try {
                long waitMs = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
                return future.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                cancel(source);
                gaps.add(new EvidenceGap(source, what + ": timed out after " + sourceTimeout.toMillis() + " ms"));
                LOG.debug("alert {}: {} {} timed out after {} ms", alert.id(), source, what, sourceTimeout.toMillis());
                return null;
            } catch (ExecutionException e) {
                gap(source, what, e.getCause());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel(source);
                gaps.add(new EvidenceGap(source, what + ": interrupted"));
                return null;
            }
        }

        private void gap(String source, String what, Throwable error) {
            // A failed sign-in is its own gap, worded with what to do, not a bare "HTTP 401".
            String code = serviceError(error).map(AzureServiceError::code).orElse(null);
            String reason = AzureSignIn.failure(error, source, code).orElseGet(() -> reason(error));
            gaps.add(new EvidenceGap(source, what + ": " + reason, code));
            // DEBUG: the gap is the record; the queue path logs one WARN per failed source (Responder.logFailedSources).
            LOG.debug("alert {}: {} {} unavailable: {}", alert.id(), source, what, reason);
        }

        private void cancel(String source) {
            List<FutureTask<?>> running = tasks.getOrDefault(source, List.of());
            synchronized (running) {
                running.forEach(t -> t.cancel(true));
            }
        }

        private AppConfig appConfig(ContainerApp app, ManagedEnvironment environment, List<Revision> revisions, String workspaceId) {
            List<RevisionInfo> revisionInfos = revisions == null ? List.of() : revisions.stream().map(ArmEvidenceReader::revision).toList();
            if (app == null) {
                return new AppConfig(id.resourceId(), id.name(), id.resourceGroup(), id.subscriptionId(), null, List.of(), null,
                        null, null, workspaceId, revisionInfos);
            }
            return new AppConfig(id.resourceId(), app.name() == null ? id.name() : app.name(), id.resourceGroup(), id.subscriptionId(),
                    ArmEvidenceReader.latestRevision(app), ArmEvidenceReader.containers(app), ArmEvidenceReader.scale(app),
                    app.location(), ArmEvidenceReader.environmentId(app), workspaceId, revisionInfos,
                    ArmEvidenceReader.tags(app), app.workloadProfileName(),
                    ArmEvidenceReader.workloadProfile(app.workloadProfileName(), environment));
        }
    }

    /** What resource lists showed: the matching ids (once each), how many lists answered, the first refusal. */
    private record Listed(List<String> ids, int answered, Throwable failure) {
        Listed and(Listed other) {
            List<String> all = new ArrayList<>(ids);
            other.ids.stream().filter(found -> all.stream().noneMatch(found::equalsIgnoreCase)).forEach(all::add);
            return new Listed(List.copyOf(all), answered + other.answered, failure != null ? failure : other.failure);
        }
    }

    /** The key under which the queue backlog's series are cut to the window with the groups'. */
    private static final MetricGroup QUEUE_GROUP = new MetricGroup(List.of("queue backlog"), List.of());

    /** Every group's series that answered, cut to the window; a series left without a sample is left out, as the service leaves it out. */
    private static List<MetricSeries> within(Map<MetricGroup, List<MetricSeries>> results, EvidenceWindow window) {
        List<MetricSeries> out = new ArrayList<>();
        for (List<MetricSeries> group : results.values()) {
            if (group == null) {
                continue;
            }
            for (MetricSeries s : group) {
                MetricSeries cut = s.within(window.start(), window.end());
                if (cut.hasAnyValue()) {
                    out.add(cut);
                }
            }
        }
        return out;
    }

    /** As the query's timespan: from the start (inclusive) to the end (exclusive); a row without a time is kept. */
    private static boolean inWindow(Instant t, EvidenceWindow window) {
        return t == null || !t.isBefore(window.start()) && t.isBefore(window.end());
    }

    /** The value of a finished future, or null while it runs or when it failed (never throws). */
    private static <T> T valueOrNull(CompletableFuture<T> future) {
        return future.isDone() && !future.isCompletedExceptionally() ? future.join() : null;
    }

    private static String lower(String id) {
        return id.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<MetricSeries> workingSetMaxima(List<MetricSeries> series) {
        return series.stream().filter(s -> "WorkingSetBytes".equals(s.name()) && "Maximum".equals(s.aggregation())).toList();
    }

    /**
     * A short reason for a gap: for an Azure answer its status, error code and message (cleaned of
     * URLs, see {@link AzureServiceError}); otherwise what went wrong on the way.
     */
    static String reason(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof MissingPrerequisite || e instanceof LogsQueryFailed || e instanceof DiagnosticSettingsReader.ArmCallFailed) {
            return e.getMessage();
        }
        Optional<AzureServiceError> service = serviceError(e);
        if (service.isPresent()) {
            return service.get().describe();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return "no answer in time";
            }
            if (c instanceof InterruptedException) {
                return "cancelled at the source deadline";
            }
            if (c instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
            if (c instanceof java.net.ConnectException) {
                return "connection refused";
            }
        }
        return e.getClass().getSimpleName();
    }

    /**
     * The resource id as the per-resource metrics client's path wants it: the SDK inserts it
     * verbatim (an "encoded" path parameter) after the host's "/", so no leading slash (the REST
     * spec's example resourceUri has none; with one the path would start "//subscriptions") and each
     * segment percent-encoded here.
     */
    static String resourceUri(String resourceId) {
        StringBuilder out = new StringBuilder();
        for (String segment : resourceId.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** The Azure error behind this failure, if Azure answered. */
    static Optional<AzureServiceError> serviceError(Throwable error) {
        return unwrap(error) instanceof HttpResponseException h ? AzureServiceError.of(h) : Optional.empty();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** A call that could not start because an earlier one failed. */
    static final class MissingPrerequisite extends RuntimeException {
        MissingPrerequisite(String message) {
            super(message, null, false, false);
        }
    }

    /** Log Analytics answered 200 with an error in the body (e.g. a query the workspace rejected). */
    static final class LogsQueryFailed extends RuntimeException {
        LogsQueryFailed(String code) {
            super("query failed: " + (code == null ? "unknown error" : code.replaceAll("[^A-Za-z0-9_.-]", "")), null, false, false);
        }
    }

    /** Small helpers on the SDK's app model. */
    private static final class AppConfigs {
        /** A replica's limit: the sum over all its containers, since its working set covers them all. */
        static Long limitBytes(ContainerApp app) {
            return new AppConfig(app.id() == null ? "app" : app.id(), "app", null, null, null, ArmEvidenceReader.containers(app),
                    null, null, null, null, List.of()).replicaMemoryLimitBytes();
        }
    }
}
