package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.delivery.ChartPublisher;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceSource;
import io.oomresponder.evidence.GatherTimings;
import io.oomresponder.evidence.GatheredEvidence;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.intake.AppByName;
import io.oomresponder.intake.ContainerAppId;
import io.oomresponder.evidence.AppAbsence;
import io.oomresponder.evidence.AppResolution;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.store.IncidentDecision;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.oomresponder.delivery.SinkCalls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline behind the queue: claim the alert (dedupe), gather the evidence, diagnose it,
 * record it in the app's incident, render the note and deliver it to the routed sinks; a sink
 * that fails is parked for redelivery, never dropped. Shared by the Functions entry points,
 * {@code serve}, {@code demo} and {@code replay}; built once per process by {@link Runtime}.
 */
public final class Responder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    private final EvidenceSource evidence;
    private final Diagnoser diagnoser;
    private final IncidentStore store;
    private final NoteRenderer renderer;
    private final SinkRoutes sinks;
    private final Redelivery redelivery;
    private final Clock clock;
    private final String storeMode;
    private final AlertIntake intake;
    private final ChartPublisher charts;
    private final Duration handlerBudget;
    private final SinkCalls sinkCalls;
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong unprocessable = new AtomicLong();
    private final OperatorChannel operator;
    /** Alerts for apps ARM says do not exist, and how many of them were reported (once per app and period). */
    private final AtomicLong missingAppAlerts = new AtomicLong();
    private final AtomicLong missingAppReports = new AtomicLong();

    /** Sinks get at least this long, even when gathering evidence used up the handler's budget. */
    static final Duration MIN_SINK_BUDGET = Duration.ofSeconds(5);

    /** Renews the claims of every handler in the process (a renewal is one small Table write). */
    private static final ScheduledExecutorService HEARTBEATS = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "claim-heartbeat");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param evidence   where evidence comes from (Azure, or saved bundles)
     * @param store      dedupe, incidents and undelivered notes
     * @param renderer   renders notes
     * @param sinks      which notifiers (already wrapped with retries) take a note
     * @param redelivery parks failed deliveries and sweeps them later
     * @param clock      "now" for claims and incidents
     * @param storeMode  "memory" or "azure-table", for health answers
     * @param intake     parses replay requests (with the same scope guard as alerts)
     */
    public Responder(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
                     Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake) {
        this(evidence, store, renderer, sinks, redelivery, clock, storeMode, intake, ClaimTiming.DEFAULT_HANDLER_BUDGET);
    }

    /**
     * @param handlerBudget how long one handler may work on an alert (ALERT_HANDLER_BUDGET): the sinks
     *                      get what is left of it, and the claim is renewed no longer
     */
    public Responder(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
                     Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake, Duration handlerBudget) {
        this(evidence, store, renderer, sinks, redelivery, clock, storeMode, intake, handlerBudget, null);
    }

    /**
     * As above, with chart links: {@code charts} uploads each note's chart and the card links it
     * (null: no chart links).
     */
    public Responder(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
                     Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake, Duration handlerBudget,
                     ChartPublisher charts) {
        this(evidence, store, renderer, sinks, redelivery, clock, storeMode, intake, handlerBudget, charts, SinkCalls.Deadline.REAL_TIME);
    }

    /**
     * As above, with the moment the sinks' budget runs out chosen by the caller (tests run it out
     * when they say instead of after real time).
     */
    public Responder(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
                     Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake, Duration handlerBudget,
                     ChartPublisher charts, SinkCalls.Deadline sinkDeadline) {
        this(evidence, store, renderer, sinks, redelivery, clock, storeMode, intake, handlerBudget, charts, sinkDeadline, OperatorChannel.none());
    }

    /**
     * As above, with the operator's channel: where alerts that are not incidents go (an app ARM says
     * does not exist). {@code redelivery} must know its notifier to redeliver a report that failed.
     */
    public Responder(EvidenceSource evidence, IncidentStore store, NoteRenderer renderer, SinkRoutes sinks,
                     Redelivery redelivery, Clock clock, String storeMode, AlertIntake intake, Duration handlerBudget,
                     ChartPublisher charts, SinkCalls.Deadline sinkDeadline, OperatorChannel operator) {
        this.operator = Objects.requireNonNull(operator, "operator");
        this.sinkCalls = new SinkCalls(sinkDeadline);
        this.charts = charts;
        this.handlerBudget = Objects.requireNonNull(handlerBudget, "handlerBudget");
        this.intake = Objects.requireNonNull(intake, "intake");
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.store = Objects.requireNonNull(store, "store");
        this.renderer = Objects.requireNonNull(renderer, "renderer");
        this.sinks = Objects.requireNonNull(sinks, "sinks");
        this.redelivery = Objects.requireNonNull(redelivery, "redelivery");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.storeMode = Objects.requireNonNull(storeMode, "storeMode");
        this.diagnoser = new Diagnoser();
    }

    /** The production wiring from settings: Azure evidence, the configured store and sinks. */
    public Responder(Settings settings) {
        this(Wiring.fromSettings(settings, Clock.systemUTC()));
    }

    /**
     * A responder for one-off work (replay, demo, benchmarks): the given evidence source and store,
     * the sinks configured in {@code settings}.
     */
    public static Responder with(Settings settings, EvidenceSource evidence, IncidentStore store, Clock clock) {
        return new Responder(Wiring.of(settings, evidence, store, clock));
    }

    private Responder(Wiring w) {
        this(w.evidence(), w.store(), w.renderer(), w.sinks(), w.redelivery(), w.clock(), w.storeMode(), w.intake(), w.handlerBudget(),
                w.charts(), SinkCalls.Deadline.REAL_TIME, w.operator());
    }

    /**
     * Handles one queued alert end to end.
     *
     * @throws RuntimeException when it fails in a way a retry may fix (the queue retries, then poisons)
     */
    public ResponseOutcome respond(QueuedAlert message) {
        AlertRun run = run(message, Progress.SILENT);
        // An app that does not exist fails every source; its one line is the missing-app report's.
        if (run.bundle() != null && run.outcome().status() != ResponseOutcome.Status.UNPROCESSABLE) {
            logFailedSources(message.alert().targetResourceId(), run.bundle().gaps());
        }
        return run.outcome();
    }

    /**
     * One WARN line per evidence source that failed, with the gap's own sentence (e.g. "could not
     * sign in to Azure: ...; run `az login` ..."). The Azure SDK's own lines for the same failure
     * (token cache, retry policy, MSAL: about 25 ERROR lines per alert when not signed in) are
     * turned off in simplelogger.properties; this line says it once.
     */
    static void logFailedSources(String app, java.util.List<io.oomresponder.evidence.EvidenceGap> gaps) {
        // Per source, the parts that failed grouped by reason: "container app, revisions, replicas: could not sign in ...".
        java.util.Map<String, java.util.Map<String, java.util.List<String>>> bySource = new java.util.LinkedHashMap<>();
        for (io.oomresponder.evidence.EvidenceGap gap : gaps) {
            String detail = gap.detail();
            int colon = detail.indexOf(": ");
            String what = colon < 0 ? "" : detail.substring(0, colon);
            String reason = colon < 0 ? detail : detail.substring(colon + 2);
            bySource.computeIfAbsent(gap.source(), s -> new java.util.LinkedHashMap<>()).computeIfAbsent(reason, r -> new java.util.ArrayList<>()).add(what);
        }
        bySource.forEach((source, reasons) -> LOG.warn("evidence for {}: {} failed: {}", app, source, reasons.entrySet().stream()
                .map(e -> String.join(", ", e.getValue()) + ": " + e.getKey()).collect(java.util.stream.Collectors.joining("; "))));
    }

    /** Handles one queued alert and returns everything it produced. */
    public AlertRun run(QueuedAlert message, Progress progress) {
        Objects.requireNonNull(message, "message");
        long startedNanos = System.nanoTime();
        if (message.replay()) {
            return process(message, progress, null, true, Set.of(), null, startedNanos);
        }
        String owner = IncidentStore.newOwner();
        Instant now = clock.instant();
        IncidentStore.ClaimResult claim = store.tryClaim(message.dedupeKey(), owner, now);
        if (claim == IncidentStore.ClaimResult.COMPLETED) {
            progress.stage("dedupe", "already handled: " + message.dedupeKey());
            return AlertRun.only(new ResponseOutcome(ResponseOutcome.Status.DUPLICATE, message.dedupeKey()));
        }
        if (claim == IncidentStore.ClaimResult.HELD_ELSEWHERE) {
            // Another delivery holds it now. Dropping this one would lose the alert if that one dies
            // before completing; failing lets the queue retry, which sees DONE or an expired lease.
            progress.stage("dedupe", "in progress elsewhere: " + message.dedupeKey() + "; retry later");
            throw new AlertInProgressException(message.dedupeKey());
        }
        Duration every = store.claimLease().dividedBy(4);
        try (ClaimHeartbeat heartbeat = ClaimHeartbeat.start(HEARTBEATS, store, message.dedupeKey(), owner, clock, every,
                now.plus(handlerBudget), renewals::incrementAndGet)) {
            AlertRun run = process(message, progress, null, true, Set.of(), heartbeat, startedNanos);
            if (heartbeat.lost()) {
                // Taken over while we worked (we were too slow, or our renewals failed): the new owner completes it.
                throw new AlertInProgressException(message.dedupeKey());
            }
            store.complete(message.dedupeKey(), clock.instant());
            return run;
        } catch (RuntimeException e) {
            try {
                store.recordFailure(message.dedupeKey(), failureReason(e), clock.instant());
                store.release(message.dedupeKey(), owner);
            } catch (RuntimeException storeDown) {
                // The claim then runs out by itself within one lease; the queue's retry takes over.
                LOG.warn("could not release the claim of alert {}: {}", message.dedupeKey(), storeDown.toString());
            }
            throw e;
        }
    }

    /** Claim renewals made by this process so far (tests wait on it instead of sleeping). */
    public long renewals() {
        return renewals.get();
    }

    /** A short reason for the poison report: our own exception messages, never a sink's or Azure's body. */
    static String failureReason(RuntimeException e) {
        if (e instanceof AlertInProgressException) {
            return "another delivery held the alert's claim";
        }
        String message = e.getMessage();
        String first = message == null ? "" : message.lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + (first.length() > 200 ? first.substring(0, 200) + "…" : first));
    }

    /**
     * Replays a past alert with today's code: the evidence of the alert's own window (or a saved
     * bundle), a diagnosis and a note marked as a replay. Nothing is recorded in the incident store.
     *
     * @param alert    the alert to replay
     * @param saved    a saved evidence bundle to use instead of gathering, or null
     * @param deliver  true to send the note to the configured sinks; false for a dry run
     * @param progress one line per stage
     */
    public AlertRun replay(AlertSignal alert, EvidenceBundle saved, boolean deliver, Progress progress) {
        return replay(alert, saved, deliver, Set.of(), progress);
    }

    /**
     * As {@link #replay(AlertSignal, EvidenceBundle, boolean, Progress)}, sending only to the named
     * sinks when {@code sinkNames} is not empty. A replayed note never pages: paging sinks
     * ({@link SinkRoutes#PAGING_SINKS}) are left out unless named here.
     *
     * @throws IllegalArgumentException when a named sink is not configured
     */
    public AlertRun replay(AlertSignal alert, EvidenceBundle saved, boolean deliver, Set<String> sinkNames, Progress progress) {
        QueuedAlert message = new QueuedAlert("replay|" + alert.dedupeKey(), alert.withoutRaw(), clock.instant(), true);
        return process(message, progress, saved, deliver, sinkNames, null, System.nanoTime());
    }

    private AlertRun process(QueuedAlert incoming, Progress progress, EvidenceBundle saved, boolean deliver,
                             Set<String> sinkNames, ClaimHeartbeat heartbeat, long startedNanos) {
        QueuedAlert about = incoming;
        if (saved == null && AppByName.needsResolution(incoming.alert())) {
            AlertSignal named = incoming.alert();
            progress.stage("resolve", "log alert names app " + AppByName.appName(named).orElse("?") + " on " + named.targetResourceId()
                    + "; looking it up in ARM");
            AppResolution found = evidence.resolveApp(named);
            if (!found.resolved()) {
                return unresolved(incoming, found, deliver, sinkNames, progress);
            }
            progress.stage("resolve", "found " + found.appResourceId());
            about = new QueuedAlert(incoming.dedupeKey(), AppByName.resolvedTo(named, ContainerAppId.parse(found.appResourceId())),
                    incoming.receivedAt(), incoming.replay());
        }
        final QueuedAlert message = about;
        AlertSignal alert = message.alert();
        GatheredEvidence gathered;
        if (saved != null) {
            progress.stage("evidence", "from the saved bundle");
            gathered = new GatheredEvidence(saved, GatherTimings.none(0));
        } else {
            progress.stage("evidence", "gathering for " + alert.targetResourceId());
            gathered = evidence.gatherTimed(alert);
        }
        EvidenceBundle bundle = gathered.bundle();
        GatherTimings timings = gathered.timings();
        progress.stage("evidence", String.format("%d series, %d system events, %d console lines, %d gaps in %d ms (%d calls)",
                bundle.metrics().size(), bundle.systemLogs().size(), bundle.consoleLogs().size(), bundle.gaps().size(),
                timings.gatherMs(), timings.calls()));

        // An app ARM says does not exist is not an incident (issue 26): the operator hears of it, no incident sink does.
        // A replay is left as it was (a person asked for it and reads its note); a Resolved alert goes on to close
        // an incident opened before the app went away, or to be ignored by the incident policy.
        if (!message.replay() && alert.condition() == AlertSignal.Condition.Fired) {
            Optional<AppAbsence> absent = AppAbsence.in(bundle);
            if (absent.isPresent()) {
                return missingApp(message, absent.get(), bundle, timings, progress);
            }
        }

        long t0 = System.nanoTime();
        Diagnosis diagnosis = diagnoser.diagnose(bundle);
        long diagnoseMs = (System.nanoTime() - t0) / 1_000_000;
        progress.stage("diagnosis", diagnosis.verdict() + " (confidence " + Math.round(diagnosis.confidence() * 100)
                + "%), path " + String.join("→", diagnosis.path()) + " in " + diagnoseMs + " ms");

        NoteContext context;
        if (message.replay()) {
            context = NoteContext.newIncident().withReplay(true);
        } else {
            IncidentDecision decision = store.recordDiagnosis(alert, diagnosis, bundle.app().latestRevision(), clock.instant());
            if (!decision.postsNote()) {
                String why = decision.action() + (decision.changes().isEmpty() ? "" : ": " + String.join("; ", decision.changes()));
                progress.stage("incident", why);
                ResponseOutcome.Status status = decision.action() == IncidentDecision.Action.IGNORE
                        ? ResponseOutcome.Status.IGNORED : ResponseOutcome.Status.QUIET;
                return new AlertRun(new ResponseOutcome(status, why), bundle, timings, diagnosis, diagnoseMs, null, List.of(), List.of());
            }
            context = IncidentNotes.context(decision);
            progress.stage("incident", decision.action() + " " + decision.incident().id());
        }

        RenderedNote note = withChartLink(renderer.render(bundle, diagnosis, context), bundle, diagnosis, context, deliver, progress);
        progress.stage("note", note.title() + " (card " + cardBytes(note) + " bytes)");

        if (!deliver) {
            return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "replay, dry run"),
                    bundle, timings, diagnosis, diagnoseMs, note, List.of(), List.of());
        }
        List<Notifier> routed = message.replay()
                ? sinks.forReplay(note, bundle.app(), sinkNames)
                : sinks.forNote(note, bundle.app());
        // A takeover or a retry sends only to the sinks that have not had this note.
        Set<String> already = message.replay() ? Set.of() : store.deliveredSinks(message.dedupeKey());
        List<Notifier> pending = routed.stream().filter(n -> !already.contains(n.name())).toList();
        if (!already.isEmpty()) {
            progress.stage("delivery", "already delivered to " + already + " by an earlier attempt");
        }
        if (heartbeat != null && heartbeat.lost()) {
            throw new AlertInProgressException(message.dedupeKey());
        }
        Duration left = handlerBudget.minusNanos(System.nanoTime() - startedNanos);
        Duration floor = MIN_SINK_BUDGET.compareTo(handlerBudget) < 0 ? MIN_SINK_BUDGET : handlerBudget;
        Duration budget = left.compareTo(floor) < 0 ? floor : left;
        List<Receipt> receipts = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        for (SinkCalls.Result r : sinkCalls.sendAll(note, pending, budget, (sink, receipt) -> recordDelivery(message, note, sink.name(), receipt))) {
            String name = r.sink().name();
            if (r.delivered()) {
                receipts.add(r.receipt());
                progress.stage("delivery", name + ": delivered" + (r.receipt().reference() == null ? "" : " (" + r.receipt().reference() + ")"));
            } else {
                DeliveryException e = r.failure();
                redelivery.park(note, name, e);
                parked.add(name);
                // An in-memory store keeps the note only as long as this process: say so rather than promise a redelivery.
                String kept = "memory".equals(storeMode) ? "kept in memory for redelivery while this process runs" : "stored for redelivery";
                LOG.warn("delivery to {} failed for {} ({}); {}", name, note.alertId(), e.reason(), kept);
                progress.stage("delivery", name + ": failed (" + e.reason() + "), " + kept);
            }
        }
        String detail = receipts.size() + " sink(s) delivered" + (parked.isEmpty() ? "" : ", parked for " + parked);
        return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.DELIVERED, detail),
                bundle, timings, diagnosis, diagnoseMs, note, receipts, parked);
    }

    /**
     * A log alert whose app could not be found: the note that says so (never silence), sent like a
     * diagnosis note (a replay only shows it unless delivering; paging sinks get it only when named).
     */
    private AlertRun unresolved(QueuedAlert message, AppResolution found, boolean deliver, Set<String> sinkNames, Progress progress) {
        RenderedNote note = UnresolvedAppNote.render(message.alert(), message.dedupeKey(), found);
        progress.stage("resolve", "not found: " + found.problem());
        LOG.warn("alert {}: {}", message.dedupeKey(), found.problem());
        ResponseOutcome outcome = new ResponseOutcome(ResponseOutcome.Status.UNRESOLVED, found.problem());
        if (!deliver) {
            return new AlertRun(outcome, null, null, null, 0, note, List.of(), List.of());
        }
        // No app, so no tag routes: every sink, as for an alert that could not be processed; a replay as replays go.
        List<Notifier> routed = !message.replay() ? sinks.all() : sinks.all().stream()
                .filter(n -> sinkNames.isEmpty() ? !SinkRoutes.PAGING_SINKS.contains(n.name()) : sinkNames.contains(n.name())).toList();
        Set<String> already = message.replay() ? Set.of() : store.deliveredSinks(note.dedupeKey());
        List<Receipt> receipts = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        for (SinkCalls.Result r : sinkCalls.sendAll(note, routed.stream().filter(n -> !already.contains(n.name())).toList(), handlerBudget,
                (sink, receipt) -> recordDelivery(message, note, sink.name(), receipt))) {
            if (r.delivered()) {
                receipts.add(r.receipt());
                progress.stage("delivery", r.sink().name() + ": delivered");
            } else {
                redelivery.park(note, r.sink().name(), r.failure());
                parked.add(r.sink().name());
            }
        }
        return new AlertRun(outcome, null, null, null, 0, note, receipts, parked);
    }

    /**
     * An alert for an app ARM says does not exist: reported to the operator's channel once per app and
     * {@link OperatorChannel#period()} (the store's record makes it once across instances), or, without a
     * channel, logged once at WARN; counted either way; never sent to an incident sink, never recorded
     * as an incident.
     */
    private AlertRun missingApp(QueuedAlert message, AppAbsence absence, EvidenceBundle bundle, GatherTimings timings, Progress progress) {
        missingAppAlerts.incrementAndGet();
        String app = absence.appResourceId();
        progress.stage("evidence", "ARM says the app does not exist (HTTP 404 " + absence.code() + "): not an incident");
        RenderedNote note = MissingAppNote.render(message.alert(), message.dedupeKey(), absence, operator.period());
        String subject = "missing-app|" + app.toLowerCase(java.util.Locale.ROOT);
        if (!store.claimOperatorReport(subject, clock.instant(), operator.period())) {
            String detail = "app " + app + " does not exist (ARM " + absence.code() + "); already reported within " + operator.period();
            LOG.debug("alert {}: {}", message.dedupeKey(), detail);
            progress.stage("operator", "already reported within " + operator.period());
            return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.UNPROCESSABLE, detail), bundle, timings, null, 0, note, List.of(), List.of());
        }
        missingAppReports.incrementAndGet();
        if (operator.notifier().isEmpty()) {
            String detail = "app " + app + " does not exist (ARM " + absence.code() + "); not an incident, no incident sink told;"
                    + " no operator channel is configured (" + OperatorChannel.WEBHOOK_URL + "), so it is only logged, once per app every "
                    + operator.period();
            LOG.warn("alert {}: {}", message.dedupeKey(), detail);
            progress.stage("operator", "no channel configured: logged");
            return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.UNPROCESSABLE, detail), bundle, timings, null, 0, note, List.of(), List.of());
        }
        LOG.info("alert {}: app {} does not exist (ARM {}); reporting it to the operator channel, not as an incident",
                message.dedupeKey(), app, absence.code());
        List<Receipt> receipts = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        for (SinkCalls.Result r : sinkCalls.sendAll(note, List.of(operator.notifier().get()), handlerBudget,
                (sink, receipt) -> store.recordSinkDelivered(note.dedupeKey(), sink.name(), clock.instant()))) {
            if (r.delivered()) {
                receipts.add(r.receipt());
                progress.stage("operator", "delivered");
            } else {
                redelivery.park(note, r.sink().name(), r.failure());
                parked.add(r.sink().name());
                LOG.warn("report of missing app {} to the operator channel failed ({}); stored for redelivery", app, r.failure().reason());
                progress.stage("operator", "failed (" + r.failure().reason() + "), stored for redelivery");
            }
        }
        String detail = "app " + app + " does not exist (ARM " + absence.code() + "); reported to the operator channel"
                + (parked.isEmpty() ? "" : " (parked for redelivery)") + ", no incident sink told";
        return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.UNPROCESSABLE, detail), bundle, timings, null, 0, note, receipts, parked);
    }

    /** Runs on the sink's thread as soon as it took the note, before anything else happens. */
    private void recordDelivery(QueuedAlert message, RenderedNote note, String sink, Receipt receipt) {
        if (message.replay()) {
            return;
        }
        store.recordSinkDelivered(message.dedupeKey(), sink, clock.instant());
        store.recordDelivered(note, receipt);
    }

    /**
     * Teams shows images by URL only: a note that is sent gets its chart uploaded and is built
     * again around the chart's link (the drawn PNG is reused). Dry runs upload nothing.
     */
    private RenderedNote withChartLink(RenderedNote note, EvidenceBundle bundle, Diagnosis diagnosis, NoteContext context,
                                       boolean deliver, Progress progress) {
        if (!deliver || charts == null || note.chartPng() == null) {
            return note;
        }
        var link = charts.publish(note, note.chartPng());
        if (link.isEmpty()) {
            return note;
        }
        progress.stage("chart", "uploaded to container " + charts.containerName() + ", linked for the card");
        return renderer.render(bundle, diagnosis, context.withChartUrl(link.get()), note.chartPng());
    }

    private static int cardBytes(RenderedNote note) {
        return note.card() == null ? 0 : note.card().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /**
     * Replays a past alert from a request body (a saved alert payload or replay options) and returns
     * the note as text / JSON.
     *
     * @param permission whether the caller may deliver ({@code "deliver": true} without it: {@link ReplayRefusedException})
     * @throws IllegalArgumentException when the request is not a usable replay request
     */
    public String replay(byte[] requestBody, ReplayPermission permission) {
        return ReplayRequests.handle(this, intake, requestBody, permission);
    }

    /**
     * Sends a note that is not about a diagnosis (the poison re-drive's "could not be processed")
     * to every configured sink that has not had it, in parallel within the handler's budget;
     * a sink that fails gets it through redelivery.
     */
    public void reportUnprocessable(RenderedNote note, String reason) {
        Set<String> already = store.deliveredSinks(note.dedupeKey());
        List<Notifier> pending = sinks.all().stream().filter(n -> !already.contains(n.name())).toList();
        LOG.error("{} ({}): {}", note.title(), note.alertId(), reason);
        unprocessable.incrementAndGet();
        for (SinkCalls.Result r : sinkCalls.sendAll(note, pending, handlerBudget,
                (sink, receipt) -> store.recordSinkDelivered(note.dedupeKey(), sink.name(), clock.instant()))) {
            if (!r.delivered()) {
                redelivery.park(note, r.sink().name(), r.failure());
            }
        }
    }

    /** What {@code /api/health} shows about delivery (undeliverable notes, the last redelivery sweep). */
    public java.util.Map<String, Object> deliveryHealth() {
        java.util.Map<String, Object> h = new java.util.LinkedHashMap<>(redelivery.health());
        h.put("unprocessableAlerts", unprocessable.get());
        h.put("missingAppAlerts", missingAppAlerts.get());
        h.put("missingAppReports", missingAppReports.get());
        h.put("operatorChannel", operator.notifier().isPresent());
        return h;
    }

    /** Deletes what the store no longer keeps ({@link io.oomresponder.store.StoreRetention}). */
    public io.oomresponder.store.RetentionReport sweepRetention(io.oomresponder.store.StoreRetention retention) {
        return store.sweepRetention(retention, clock.instant());
    }

    /** Retries undelivered notes that are due; returns how many were delivered. */
    public int redeliverDue() {
        return redelivery.sweep().delivered();
    }

    /** Where incident state lives: "memory" or "azure-table" (for {@code serve}'s health answer). */
    public String storeMode() {
        return storeMode;
    }

    public IncidentStore store() {
        return store;
    }

    @Override
    public void close() {
        sinkCalls.close();
        if (evidence instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing evidence source: {}", e.toString());
            }
        }
    }
}
