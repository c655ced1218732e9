package io.oomresponder.simulator;

import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.ContainerSpec;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.evidence.EvidenceWindow;
import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;
import io.oomresponder.evidence.Replica;
import io.oomresponder.evidence.RevisionInfo;
import io.oomresponder.evidence.ScaleSettings;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs one scenario for one seed at one-minute grain and turns the result into an evidence bundle
 * and the alert that would have fired. Deterministic: everything random comes from the seed, and
 * the window is placed after a fixed epoch, never relative to the wall clock.
 */
final class IncidentSimulator {

    /** Windows end within {@link #EPOCH_SPREAD} after this instant, placed by the seed. */
    static final Instant EPOCH = Instant.parse("2026-09-01T00:00:00Z");
    static final Duration EPOCH_SPREAD = Duration.ofDays(90);
    static final int MIN_WINDOW_MINUTES = 180;
    static final int MAX_WINDOW_MINUTES = 720;
    /** Share of OOM kills that leave no ContainerTerminated line (azure-facts §4: child-process kills). */
    static final double OOM_WITHOUT_SYSTEM_LOG_PROBABILITY = 0.2;
    /** Of an OOM-killed bucket, the Maximum working set the agent saw, as a fraction of the limit. */
    static final double OOM_PEAK_MIN_FRACTION = 0.972;
    static final double OOM_PEAK_MAX_FRACTION = 0.998;
    /** Like Kubernetes, a container that ran this long without failing starts its back-off afresh. */
    static final int BACKOFF_RESET_MINUTES = 10;
    private static final long SCENARIO_SALT = 0x9E3779B97F4A7C15L;
    /** A sidecar container's limit: 0.5Gi (with 0.25 vCPU, the smallest Consumption pair). */
    static final long SIDECAR_BYTES = 512L << 20;
    /** Memory's own slow wander (AR(1)): persistence per minute and innovation sd as a share of the limit. */
    static final double WANDER_PERSISTENCE = 0.95;
    static final double WANDER_SD = 0.0025;
    /** Salt of the stream that gives the app a queue (which service, its backlog, whether it logs about it). */
    private static final long QUEUE_SALT = 0x0DEC_AF51_7E55_AB1EL;
    /** Salt of the stream that places the app in ARM (tags, workload profile). */
    private static final long PLACEMENT_SALT = 0x5A17_C0DE_1234_5678L;
    /** Salt of the draw of RestartCount's semantics (a running counter or per-bucket counts). */
    private static final long RESTART_COUNT_SALT = 0x7E57_A27C_0C07_1E55L;

    private IncidentSimulator() {
    }

    static SimulatedIncident simulate(Scenario scenario, long seed, ScenarioOverrides overrides) {
        SplittableRandom root = new SplittableRandom(seed ^ (scenario.scenarioName().hashCode() * SCENARIO_SALT));
        if (scenario == Scenario.NODATA_METRICS_MISSING) {
            return withoutMetrics(scenario, seed, overrides, root);
        }
        return new Run(scenario, seed, overrides, root).incident();
    }

    /** Some incident (restarts of some cause) whose metrics could not be gathered. */
    private static SimulatedIncident withoutMetrics(Scenario scenario, long seed, ScenarioOverrides overrides, SplittableRandom root) {
        List<Scenario> bases = List.of(Scenario.LEAK_CLASSIC, Scenario.BUFFER_UNBOUNDED, Scenario.PEAK_SPIKE, Scenario.PEAK_RAMP,
                Scenario.STARTUP_HEAVY, Scenario.JOB_PERIODIC, Scenario.OTHER_APPERROR);
        Scenario base = bases.get(root.nextInt(bases.size()));
        String detail = List.of(
                "metrics:getBatch failed after 3 attempts: HTTP 503 ServiceUnavailable",
                "metrics:getBatch failed: HTTP 403 AuthorizationFailed: the client does not have authorization to perform action 'Microsoft.Insights/metrics/read'",
                "metrics:getBatch timed out after 30 s",
                "metrics:getBatch failed after 3 attempts: HTTP 429 TooManyRequests").get(root.nextInt(4));
        SimulatedIncident inner = new Run(base, seed, overrides, root).incident();
        EvidenceBundle t = inner.truth();
        EvidenceBundle bundle = new EvidenceBundle(t.schemaVersion(), t.alert(), t.window(), t.app(), t.replicas(), List.of(),
                t.systemLogs(), t.consoleLogs(), List.of(new EvidenceGap("metrics", detail)));
        return new SimulatedIncident(scenario.scenarioName(), seed, bundle, inner.alertPayload(), scenario.label());
    }

    /** One run of the model: state while it goes, then the bundle. */
    private static final class Run {
        private final Scenario scenario;
        private final long seed;
        private final SplittableRandom rnd;
        private final AppIdentity app;
        private final AppRuntime runtime;
        private final LimitPair limit;
        private final long limitBytes;
        /** The replica's limit: the sum of its containers' limits (the app container's alone without a sidecar). */
        private final long replicaLimitBytes;
        /** The sidecar's limit, 0 without one. */
        private final long sidecarBytes;
        private final int minutes;
        private final Instant start;
        private final Instant[] times;
        private final Behaviour behaviour;
        private final ModelParameters parameters;
        private final boolean shellEntrypoint;
        private final List<ReplicaState> replicas = new ArrayList<>();
        private final List<RevisionInfo> revisions = new ArrayList<>();
        private final List<SystemLogEvent> systemLogs = new ArrayList<>();
        private final List<ConsoleLine> consoleLines = new ArrayList<>();
        private final List<RestartRecord> restartRecords = new ArrayList<>();
        private final String latestRevision;
        private final int appReplicas;
        private final QueueWorkload queue;
        /** RestartCount as restarts per bucket rather than a running counter (Azure documents both: docs/azure-contract.md). */
        private final boolean restartCountPerBucket;

        Run(Scenario scenario, long seed, ScenarioOverrides overrides, SplittableRandom root) {
            this.scenario = scenario;
            this.seed = seed;
            this.rnd = root.split();
            this.app = AppIdentity.draw(root.split());
            AppRuntime drawnRuntime = AppRuntime.values()[rnd.nextInt(AppRuntime.values().length)];
            boolean sidecar = scenario.twist() == Scenario.Twist.SIDECAR || scenario.twist() == Scenario.Twist.SIDECAR_FIRST;
            // A sidecar takes 0.25 vCPU / 0.5Gi of the replica's Consumption pair, so the pair is at least 1 vCPU / 2Gi.
            int firstPair = sidecar ? LimitPair.CPU_1.ordinal() : 0;
            this.limit = LimitPair.values()[firstPair + rnd.nextInt(LimitPair.values().length - firstPair)];
            this.sidecarBytes = sidecar ? SIDECAR_BYTES : 0;
            this.replicaLimitBytes = limit.memoryBytes();
            this.limitBytes = replicaLimitBytes - sidecarBytes;
            this.minutes = overrides.windowLength() != null ? (int) overrides.windowLength().toMinutes()
                    : scenario.minWindowMinutes() + rnd.nextInt(scenario.maxWindowMinutes() - scenario.minWindowMinutes() + 1);
            this.appReplicas = overrides.replicaCount() != null ? overrides.replicaCount()
                    : scenario.minReplicas() + rnd.nextInt(scenario.maxReplicas() - scenario.minReplicas() + 1);
            Instant end = EPOCH.plus(Math.floorMod(mix(seed), EPOCH_SPREAD.toMinutes()), ChronoUnit.MINUTES);
            this.start = end.minus(minutes, ChronoUnit.MINUTES);
            this.times = new Instant[minutes];
            for (int m = 0; m < minutes; m++) {
                times[m] = start.plus(m, ChronoUnit.MINUTES);
            }
            this.shellEntrypoint = rnd.nextInt(2) == 0;
            double requestsPerReplica = 60 + rnd.nextDouble() * 1_400;
            ModelParameters drawn = new ModelParameters(minutes, limitBytes, appReplicas, requestsPerReplica, drawnRuntime, app, root.split());
            Behaviour built = scenario.behaviour(drawn);
            // A Java case runs on a JVM whatever runtime was drawn (the draw stays, so other scenarios keep their seeds).
            this.runtime = built.requiredRuntime() == null ? drawnRuntime : built.requiredRuntime();
            this.parameters = drawn;
            this.behaviour = built;
            this.latestRevision = layOutReplicas(root.split());
            // A stream of its own, so that giving the app a queue does not shift the scenario model's draws.
            SplittableRandom q = new SplittableRandom(seed ^ QUEUE_SALT ^ ((long) scenario.scenarioName().hashCode() << 16));
            double growth = behaviour.queueBacklogGrowthPerMinute();
            this.queue = growth >= 0 ? QueueWorkload.draw(q, app.appName(), behaviour.queueName(), growth)
                    : q.nextDouble() < QueueWorkload.UNRELATED_QUEUE_SHARE
                    ? QueueWorkload.draw(q, app.appName(), List.of("orders", "invoices", "events", "thumbnails").get(q.nextInt(4)), 0)
                    : QueueWorkload.NONE;
            // Its own stream too: which reading of RestartCount Azure serves is drawn per seed, half each.
            this.restartCountPerBucket = new SplittableRandom(seed ^ RESTART_COUNT_SALT ^ ((long) scenario.scenarioName().hashCode() << 8))
                    .nextBoolean();
        }

        /** Creates revisions and replicas; returns the latest revision's name. */
        private String layOutReplicas(SplittableRandom layout) {
            int deployment = behaviour.deploymentMinute();
            String current = app.revisionName(layout);
            Instant currentCreated = start.minus(120 + layout.nextInt(6 * 24 * 60), ChronoUnit.MINUTES);
            String older = app.revisionName(layout);
            Instant olderCreated = currentCreated.minus(60 * 24 + layout.nextInt(20 * 24 * 60), ChronoUnit.MINUTES);
            revisions.add(new RevisionInfo(older, olderCreated, false, 0, 0, "Stopped", "None"));
            if (scenario.twist() == Scenario.Twist.CHURN) {
                addReplicas(current, currentCreated, 0, minutes, layout);
                addChurningReplicas(current, layout);
                revisions.add(new RevisionInfo(current, currentCreated, true, 100, appReplicas, "Running", "Healthy"));
                return current;
            }
            if (deployment < 0) {
                addReplicas(current, currentCreated, 0, minutes, layout);
                revisions.add(new RevisionInfo(current, currentCreated, true, 100, appReplicas, "Running", "Healthy"));
                return current;
            }
            // A deployment in the window: the old revision serves until shortly after the new one starts.
            String next = app.revisionName(layout);
            Instant nextCreated = times[deployment].plusSeconds(layout.nextInt(50));
            boolean oldServes = behaviour.previousRevisionKeepsServing();
            int overlap = 2 + layout.nextInt(4);
            addReplicas(current, currentCreated, 0, oldServes ? minutes : Math.min(minutes, deployment + overlap), layout);
            int firstNew = replicas.size();
            addReplicas(next, nextCreated, deployment, minutes, layout);
            if (oldServes) {
                replicas.subList(firstNew, replicas.size()).forEach(r -> r.serving = false);
            }
            revisions.add(oldServes
                    ? new RevisionInfo(current, currentCreated, true, 100, appReplicas, "Running", "Healthy")
                    : new RevisionInfo(current, currentCreated, false, 0, 0, "Stopped", "None"));
            revisions.add(new RevisionInfo(next, nextCreated, true, oldServes ? 0 : 100, appReplicas,
                    oldServes ? "Degraded" : "Running", "Unhealthy"));
            return next;
        }

        private void addReplicas(String revision, Instant revisionCreated, int first, int end, SplittableRandom layout) {
            String replicaSet = AppIdentity.token(layout, 9);
            long revisionAgeMinutes = Math.max(1, Duration.between(revisionCreated, start).toMinutes());
            for (int i = 0; i < appReplicas; i++) {
                Instant created = first > 0 ? revisionCreated.plusSeconds(layout.nextInt(20))
                        : revisionCreated.plus(layout.nextLong(revisionAgeMinutes), ChronoUnit.MINUTES);
                ReplicaState r = new ReplicaState(replicas.size(), AppIdentity.replicaName(revision, replicaSet, layout),
                        revision, created, first, end, minutes, layout.split());
                replicas.add(r);
            }
        }

        /**
         * Replicas that autoscaling adds and removes: each starts fresh (so a leak starts from its
         * own start), lives 40 minutes to the rest of the window, and is removed without a restart.
         */
        private void addChurningReplicas(String revision, SplittableRandom layout) {
            String replicaSet = AppIdentity.token(layout, 9);
            int extra = 4 + layout.nextInt(7);
            for (int i = 0; i < extra; i++) {
                int first = 10 + layout.nextInt(Math.max(1, minutes - 70));
                int life = 40 + layout.nextInt(Math.max(1, minutes - first - 39));
                int end = layout.nextInt(3) == 0 ? minutes : Math.min(minutes, first + life);
                replicas.add(new ReplicaState(replicas.size(), AppIdentity.replicaName(revision, replicaSet, layout), revision,
                        times[first].plusSeconds(layout.nextInt(20)), first, end, minutes, layout.split()));
            }
        }

        SimulatedIncident incident() {
            double[] traffic = behaviour.traffic();
            double[] fluctuation = Traffic.fluctuations(rnd, minutes);
            int[] alive = new int[minutes];
            for (ReplicaState r : replicas) {
                for (int m = r.firstMinute; m < r.endMinute && r.serving; m++) {
                    alive[m]++;
                }
            }
            for (ReplicaState r : replicas) {
                simulateReplica(r, traffic, fluctuation, alive);
            }
            for (ReplicaState r : replicas) {
                dropSamples(r);
            }
            if (queue.present() && queue.logsAboutQueue) {
                for (ReplicaState r : replicas) {
                    consoleLines.add(new ConsoleLine(times[r.firstMinute].plusSeconds(5), r.revision, r.name, "app", "stdout", queue.connectLine()));
                }
            }
            systemLogs.sort(Comparator.comparing(SystemLogEvent::time));
            consoleLines.sort(Comparator.comparing(ConsoleLine::time));
            SimulatedAlert alert = AzureAlert.build(new AzureAlert.Input(app, behaviour.alertKind(), behaviour.memoryAlertPercent(),
                    replicaLimitBytes, replicas, restartRecords, systemLogs, times, rnd.split()));
            EvidenceBundle bundle = new EvidenceBundle(EvidenceBundle.SCHEMA_VERSION, alert.signal(),
                    new EvidenceWindow(start, start.plus(minutes, ChronoUnit.MINUTES), Duration.ofMinutes(1)),
                    appConfig(), armReplicas(), metrics(), systemLogs, consoleLines, List.<EvidenceGap>of());
            return new SimulatedIncident(scenario.scenarioName(), seed, bundle, alert.payload(), scenario.label());
        }

        private void simulateReplica(ReplicaState r, double[] traffic, double[] fluctuation, int[] alive) {
            double wander = 0;
            double sidecarUse = sidecarBytes * (0.3 + 0.4 * r.rnd.nextDouble());
            int first = r.firstMinute;
            r.minutesSinceStart = first > 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, Duration.between(r.createdAt, start).toMinutes());
            behaviour.initialise(r);
            if (first > 0) {
                int second = (int) (r.createdAt.getEpochSecond() % 60);
                system(r, first, second, "ContainerStarted", "Normal", "Started container 'app'");
                started(r, first, second + 1);
            }
            int nextChatter = first + r.rnd.nextInt(30);
            for (int m = first; m < r.endMinute; m++) {
                if (m < r.downUntil) {
                    r.restarts[m] = 0;
                    continue;
                }
                if (!r.running) {
                    r.running = true;
                    r.minutesSinceStart = 0;
                    int second = r.rnd.nextInt(50);
                    system(r, m, second, "ContainerStarted", "Normal", "Started container 'app'");
                    started(r, m, second + 1);
                }
                double load = r.serving ? traffic[m] / Math.max(1, alive[m]) * r.share : 0;
                double served = Traffic.served(load, fluctuation[m], r.rnd);
                // Memory follows the expected load (pools and caches do not track per-minute counting noise)
                // and wanders on its own: its noise is not the Requests metric's noise.
                wander = WANDER_PERSISTENCE * wander + WANDER_SD * limitBytes * r.gaussian();
                double demand = Math.max(limitBytes * 0.02, behaviour.demand(r, m, load) + wander);
                if (demand >= limitBytes) {
                    int second = r.rnd.nextInt(60);
                    double peak = limitBytes * (OOM_PEAK_MIN_FRACTION + r.rnd.nextDouble() * (OOM_PEAK_MAX_FRACTION - OOM_PEAK_MIN_FRACTION));
                    r.workingSetMax[m] = peak;
                    r.workingSetAvg[m] = (Math.min(r.workingSet, peak) + peak) / 2;
                    // The restart takes seconds: the minute still serves most of its requests.
                    r.requests[m] = Math.round(served * (0.85 + 0.1 * r.rnd.nextDouble()));
                    oomKilled(r, m, second);
                } else {
                    r.workingSet = demand;
                    r.workingSetMax[m] = demand;
                    r.workingSetAvg[m] = demand - limitBytes * (0.002 + 0.012 * r.rnd.nextDouble());
                    r.requests[m] = served;
                    Crash crash = behaviour.crash(r, m);
                    if (crash != null) {
                        crashed(r, m, crash);
                    } else {
                        r.minutesSinceStart++;
                        if (r.minutesSinceStart >= BACKOFF_RESET_MINUTES) {
                            r.restartsInRow = 0;
                        }
                    }
                }
                behaviour.console(r, m, this::console);
                if (m >= nextChatter && r.running && m >= r.downUntil) {
                    console(r, m, r.rnd.nextInt(60), "stdout", requestLogLine(r.rnd));
                    nextChatter = m + 10 + r.rnd.nextInt(40);
                }
            }
            r.restartsBefore = r.firstMinute > 0 ? 0
                    : behaviour.restartsBefore(r, Duration.between(r.createdAt, start).toMinutes());
            if (sidecarBytes > 0) {
                // The replica's working set covers every container: the sidecar's use adds to the app's.
                for (int m = r.firstMinute; m < r.endMinute; m++) {
                    double side = sidecarUse * (1 + 0.02 * r.gaussian());
                    r.workingSetMax[m] += side;
                    r.workingSetAvg[m] += side;
                }
            }
        }

        private void oomKilled(ReplicaState r, int m, int second) {
            r.restarts[m]++;
            r.restartsInWindow++;
            r.restartsInRow++;
            boolean logged = rnd.nextDouble() >= OOM_WITHOUT_SYSTEM_LOG_PROBABILITY;
            restartRecords.add(new RestartRecord(r, m, second, true, logged));
            if (shellEntrypoint) {
                console(r, m, second, "stderr", "Killed");
            }
            int down = behaviour.downMinutesAfterOom(r);
            behaviour.restarted(r, m, true);
            r.workingSet = 0;
            if (logged) {
                system(r, m, second, "ContainerTerminated", "Warning",
                        "Container 'app' was terminated with exit code '137' and reason 'OOMKilled'");
            }
            restartAfter(r, m, second, down, logged);
        }

        private void crashed(ReplicaState r, int m, Crash crash) {
            r.restarts[m]++;
            r.restartsInWindow++;
            r.restartsInRow++;
            restartRecords.add(new RestartRecord(r, m, crash.second(), false, true));
            for (Crash.ConsoleEntry c : crash.console()) {
                console(r, m, crash.second() + c.offsetSeconds(), c.stream(), c.message());
            }
            for (Crash.SystemLine s : crash.systemLines()) {
                system(r, m, crash.second() + s.offsetSeconds(), s.reason(), s.type(), s.message());
            }
            behaviour.restarted(r, m, false);
            restartAfter(r, m, crash.second(), Math.max(crash.downMinutes(), Behaviour.crashLoopBackOffMinutes(r.restartsInRow)), true);
        }

        private void restartAfter(ReplicaState r, int m, int second, int downMinutes, boolean logged) {
            r.minutesSinceStart = 0;
            if (downMinutes > 0) {
                r.downUntil = m + 1 + downMinutes;
                r.running = false;
                return;
            }
            int startSecond = second + 2 + r.rnd.nextInt(5);
            if (logged) {
                system(r, m, startSecond, "ContainerStarted", "Normal", "Started container 'app'");
            }
            started(r, m, startSecond + 1);
        }

        private void started(ReplicaState r, int m, int second) {
            Instant at = times[m].plusSeconds(second);
            List<String> lines = runtime.startupLines(app, at.toString(), r.rnd);
            for (int i = 0; i < lines.size(); i++) {
                // The last line ("started in N s") comes after the app warmed up.
                long millis = 400L * i + r.rnd.nextInt(300) + (i == lines.size() - 1 ? 2_000 + r.rnd.nextInt(9_000) : 0);
                consoleAt(r, at.plusMillis(millis), "stdout", lines.get(i));
            }
        }

        private void dropSamples(ReplicaState r) {
            double missingRate = 0.004 + r.rnd.nextDouble() * 0.03;
            for (int m = r.firstMinute; m < r.endMinute; m++) {
                if (r.rnd.nextDouble() < missingRate) {
                    int run = 1 + r.rnd.nextInt(3);
                    for (int k = m; k < Math.min(r.endMinute, m + run); k++) {
                        r.workingSetMax[k] = Double.NaN;
                        r.workingSetAvg[k] = Double.NaN;
                        r.requests[k] = Double.NaN;
                    }
                    m += run;
                }
            }
        }

        private void console(ReplicaState r, int m, int second, String stream, String message) {
            consoleAt(r, times[m].plusSeconds(second), stream, message);
        }

        private void consoleAt(ReplicaState r, Instant at, String stream, String message) {
            consoleLines.add(new ConsoleLine(at, r.revision, r.name, "app", stream, message));
        }

        private void system(ReplicaState r, int m, int second, String reason, String type, String message) {
            systemLogs.add(new SystemLogEvent(times[m].plusSeconds(second), r.revision, r.name, reason, type, message));
        }

        private AppConfig appConfig() {
            List<ContainerSpec> containers = new ArrayList<>();
            if (sidecarBytes > 0) {
                double appCpu = limit.cpu - SIDECAR_CPU;
                containers.add(new ContainerSpec("app", app.image(), appCpu, gi(limitBytes), limitBytes, behaviour.probes()));
                ContainerSpec side = new ContainerSpec(SIDECAR_NAME, SIDECAR_IMAGE, SIDECAR_CPU, gi(sidecarBytes), sidecarBytes, List.of());
                containers.add(scenario.twist() == Scenario.Twist.SIDECAR_FIRST ? 0 : 1, side);
            } else {
                containers.add(new ContainerSpec("app", app.image(), limit.cpu, limit.memory, limitBytes, behaviour.probes()));
            }
            int max = Math.max(appReplicas, behaviour.maxReplicas(appReplicas, parameters));
            int min = Math.max(1, Math.min(appReplicas, 1 + rnd.nextInt(Math.max(1, appReplicas))));
            List<ScaleSettings.Rule> rules = new ArrayList<>();
            rules.add(new ScaleSettings.Rule("http-scaler", "http",
                    Map.of("concurrentRequests", String.valueOf(List.of(10, 20, 30, 50, 100).get(rnd.nextInt(5))))));
            rules.addAll(behaviour.extraScaleRules());
            if (queue.present()) {
                rules.add(queue.rule());
            }
            // A stream of its own: placing the app in ARM must not shift the scenario model's draws.
            ArmPlacement placement = ArmPlacement.draw(app, new SplittableRandom(seed ^ PLACEMENT_SALT ^ ((long) scenario.scenarioName().hashCode() << 32) ^ app.resourceId().hashCode()));
            return new AppConfig(app.resourceId(), app.appName(), app.resourceGroup(), app.subscriptionId(), latestRevision,
                    containers, new ScaleSettings(min, max, rules), app.location(), app.environmentId(),
                    app.workspaceId(), revisions, placement.tags(), placement.workloadProfileName(), placement.workloadProfile());
        }

        private List<Replica> armReplicas() {
            return replicas.stream().filter(r -> r.endMinute == minutes).map(r -> {
                boolean up = r.running && minutes - 1 >= r.downUntil;
                return new Replica(r.name, r.revision, r.createdAt, up ? "Running" : "NotRunning",
                        sidecarBytes > 0
                                ? List.of(new Replica.Container("app", r.restartsBefore + r.restartsInWindow, up),
                                new Replica.Container(SIDECAR_NAME, 0, true))
                                : List.of(new Replica.Container("app", r.restartsBefore + r.restartsInWindow, up)));
            }).toList();
        }

        private List<MetricSeries> metrics() {
            List<MetricSeries> series = new ArrayList<>();
            for (ReplicaState r : replicas) {
                Map<String, String> dims = Map.of("revisionName", r.revision, "podName", r.name);
                MetricPoint[] wsMax = new MetricPoint[minutes];
                MetricPoint[] wsAvg = new MetricPoint[minutes];
                MetricPoint[] restarts = new MetricPoint[minutes];
                MetricPoint[] requests = new MetricPoint[minutes];
                MetricPoint[] percent = new MetricPoint[minutes];
                MetricPoint[] restartMax = new MetricPoint[minutes];
                // RestartCount is a running counter per replica (restarts since the replica was created) or,
                // by seed, the restarts of each minute: Azure documents both (docs/azure-contract.md, "Metric semantics").
                int counter = r.restartsBefore;
                for (int m = 0; m < minutes; m++) {
                    counter += r.restarts[m];
                    boolean alive = r.aliveAt(m);
                    double max = r.workingSetMax[m];
                    wsMax[m] = point(m, Double.isNaN(max) ? null : (double) Math.round(max));
                    wsAvg[m] = point(m, Double.isNaN(r.workingSetAvg[m]) ? null : (double) Math.round(r.workingSetAvg[m]));
                    percent[m] = point(m, Double.isNaN(max) ? null : Math.round(max * 10_000.0 / replicaLimitBytes) / 100.0);
                    requests[m] = point(m, Double.isNaN(r.requests[m]) ? null : r.requests[m]);
                    // A lost scrape loses the restart counter too, but only where it had nothing to say:
                    // the model keeps every restart so labels stay true.
                    boolean sampled = alive && (r.restarts[m] > 0 || !Double.isNaN(max) || m < r.downUntil);
                    restarts[m] = point(m, !sampled ? null : restartCountPerBucket ? (double) r.restarts[m] : (double) counter);
                    restartMax[m] = restarts[m];
                }
                if (scenario.twist() != Scenario.Twist.WORKING_SET_MISSING) {
                    series.add(new MetricSeries("WorkingSetBytes", "Maximum", "Bytes", dims, Arrays.asList(wsMax)));
                    series.add(new MetricSeries("WorkingSetBytes", "Average", "Bytes", dims, Arrays.asList(wsAvg)));
                }
                // One sample per minute: at PT1M the Total and the Maximum are that sample.
                series.add(new MetricSeries("RestartCount", "Total", "Count", dims, Arrays.asList(restarts)));
                series.add(new MetricSeries("RestartCount", "Maximum", "Count", dims, Arrays.asList(restartMax)));
                series.add(new MetricSeries("Requests", "Total", "Count", dims, Arrays.asList(requests)));
                series.add(new MetricSeries("MemoryPercentage", "Maximum", "Percent", Map.of("podName", r.name), Arrays.asList(percent)));
                series.addAll(behaviour.runtimeSeries(r, times));
            }
            series.addAll(requestsByStatus());
            if (queue.present()) {
                series.addAll(queue.metrics(times));
            }
            for (RevisionInfo revision : revisions) {
                MetricPoint[] count = new MetricPoint[minutes];
                boolean any = false;
                for (int m = 0; m < minutes; m++) {
                    int n = 0;
                    for (ReplicaState r : replicas) {
                        if (r.revision.equals(revision.name()) && r.aliveAt(m)) {
                            n++;
                        }
                    }
                    any |= n > 0;
                    count[m] = point(m, n > 0 ? (double) n : null);
                }
                if (any) {
                    series.add(new MetricSeries("Replicas", "Maximum", "Count", Map.of("revisionName", revision.name()), Arrays.asList(count)));
                }
            }
            return series;
        }

        /**
         * Requests app-wide per statusCodeCategory (2xx, 4xx, 5xx): a small base rate of 4xx and 5xx,
         * and in a minute in which a replica restarts, the requests it did not serve. How Container Apps
         * counts those is not documented, so the model varies it by seed: a share of them (0..1) is
         * answered 5xx by the ingress, and either those 5xx are counted in Requests or the failed
         * requests never reach the metric; a class with no request in a minute is 0 or an empty
         * bucket. Drawn from their own generator, so the other series stay as they were.
         */
        private List<MetricSeries> requestsByStatus() {
            SplittableRandom s = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + STATUS_SALT);
            double base5xx = s.nextDouble() * 0.01;
            double base4xx = s.nextDouble() * 0.03;
            double failedAs5xx = s.nextDouble();
            boolean failedCounted = s.nextBoolean();
            boolean emptyAsNull = s.nextBoolean();
            MetricPoint[] ok = new MetricPoint[minutes];
            MetricPoint[] client = new MetricPoint[minutes];
            MetricPoint[] server = new MetricPoint[minutes];
            double[] previous = new double[replicas.size()];
            Arrays.fill(previous, Double.NaN);
            for (int m = 0; m < minutes; m++) {
                double served = 0;
                boolean known = false;
                double failed = 0;
                for (int i = 0; i < replicas.size(); i++) {
                    ReplicaState r = replicas.get(i);
                    double q = m < r.requests.length ? r.requests[m] : Double.NaN;
                    if (q == q) {
                        served += q;
                        known = true;
                    }
                    if (m < r.restarts.length && r.restarts[m] > 0 && previous[i] == previous[i]) {
                        failed += Math.max(0, previous[i] - (q == q ? q : 0));
                    }
                    if (q == q) {
                        previous[i] = q;
                    }
                }
                if (!known) {
                    ok[m] = point(m, null);
                    client[m] = point(m, null);
                    server[m] = point(m, null);
                    continue;
                }
                double c4 = Math.round(served * base4xx);
                double c5 = Math.round(served * base5xx) + (failedCounted ? Math.round(failed * failedAs5xx) : 0);
                double c2 = Math.max(0, served - c4 - Math.round(served * base5xx));
                ok[m] = point(m, emptyAsNull && c2 == 0 ? null : c2);
                client[m] = point(m, emptyAsNull && c4 == 0 ? null : c4);
                server[m] = point(m, emptyAsNull && c5 == 0 ? null : c5);
            }
            List<MetricSeries> out = new ArrayList<>();
            out.add(new MetricSeries("Requests", "Total", "Count", Map.of("statusCodeCategory", "2xx"), Arrays.asList(ok)));
            out.add(new MetricSeries("Requests", "Total", "Count", Map.of("statusCodeCategory", "4xx"), Arrays.asList(client)));
            out.add(new MetricSeries("Requests", "Total", "Count", Map.of("statusCodeCategory", "5xx"), Arrays.asList(server)));
            return out;
        }

        private MetricPoint point(int m, Double value) {
            return new MetricPoint(times[m], value);
        }
    }

    /** Salt of the status-class generator, apart from the scenario's own draws. */
    private static final long STATUS_SALT = 0x5A7C0DEL;

    static final String SIDECAR_NAME = "otel-collector";
    static final String SIDECAR_IMAGE = "otel/opentelemetry-collector-contrib:0.111.0";
    static final double SIDECAR_CPU = 0.25;

    /** ARM's quantity for whole or half Gi: "1.5Gi". */
    static String gi(long bytes) {
        double g = bytes / (double) (1L << 30);
        return (g == Math.rint(g) ? String.valueOf((long) g) : String.valueOf(g)) + "Gi";
    }

    private static final List<String> PATHS = List.of("/api/orders", "/api/cart", "/api/items", "/api/users/me", "/healthz",
            "/api/search", "/api/invoices", "/api/events");

    private static String requestLogLine(SplittableRandom rnd) {
        int status = rnd.nextInt(50) == 0 ? 500 : rnd.nextInt(12) == 0 ? 404 : 200;
        return "INFO request completed method=" + (rnd.nextInt(4) == 0 ? "POST" : "GET") + " path="
                + PATHS.get(rnd.nextInt(PATHS.size())) + " status=" + status + " duration_ms=" + (3 + rnd.nextInt(400));
    }

    /** A restart the model made: which replica, when, whether it was an OOM kill and whether the platform logged it. */
    record RestartRecord(ReplicaState replica, int minute, int second, boolean oom, boolean systemLogged) {
    }

    /** SplitMix64 finaliser: spreads consecutive seeds over the epoch spread. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
