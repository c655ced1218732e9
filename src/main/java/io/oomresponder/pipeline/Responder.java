package io.oomresponder.pipeline;

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
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.store.IncidentDecision;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        this(w.evidence(), w.store(), w.renderer(), w.sinks(), w.redelivery(), w.clock(), w.storeMode(), w.intake());
    }

    /**
     * Handles one queued alert end to end.
     *
     * @throws RuntimeException when it fails in a way a retry may fix (the queue retries, then poisons)
     */
    public ResponseOutcome respond(QueuedAlert message) {
        return run(message, Progress.SILENT).outcome();
    }

    /** Handles one queued alert and returns everything it produced. */
    public AlertRun run(QueuedAlert message, Progress progress) {
        Objects.requireNonNull(message, "message");
        if (!message.replay()) {
            IncidentStore.ClaimResult claim = store.tryClaim(message.dedupeKey(), clock.instant());
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
        }
        try {
            AlertRun run = process(message, progress, null, true);
            if (!message.replay()) {
                store.complete(message.dedupeKey(), clock.instant());
            }
            return run;
        } catch (RuntimeException e) {
            if (!message.replay()) {
                store.release(message.dedupeKey());
            }
            throw e;
        }
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
        return process(message, progress, saved, deliver, sinkNames);
    }

    private AlertRun process(QueuedAlert message, Progress progress, EvidenceBundle saved, boolean deliver) {
        return process(message, progress, saved, deliver, Set.of());
    }

    private AlertRun process(QueuedAlert message, Progress progress, EvidenceBundle saved, boolean deliver, Set<String> sinkNames) {
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

        RenderedNote note = renderer.render(bundle, diagnosis, context);
        progress.stage("note", note.title() + " (card " + cardBytes(note) + " bytes)");

        if (!deliver) {
            return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.DELIVERED, "replay, dry run"),
                    bundle, timings, diagnosis, diagnoseMs, note, List.of(), List.of());
        }
        List<Receipt> receipts = new ArrayList<>();
        List<String> parked = new ArrayList<>();
        List<Notifier> targets = message.replay()
                ? sinks.forReplay(note, bundle.app(), sinkNames)
                : sinks.forNote(note, bundle.app());
        for (Notifier sink : targets) {
            try {
                Receipt receipt = sink.send(note);
                receipts.add(receipt);
                if (!message.replay()) {
                    store.recordDelivered(note, receipt);
                }
                progress.stage("delivery", sink.name() + ": delivered" + (receipt.reference() == null ? "" : " (" + receipt.reference() + ")"));
            } catch (DeliveryException e) {
                redelivery.park(note, sink.name(), e);
                parked.add(sink.name());
                // An in-memory store keeps the note only as long as this process: say so rather than promise a redelivery.
                String kept = "memory".equals(storeMode) ? "kept in memory for redelivery while this process runs" : "stored for redelivery";
                LOG.warn("delivery to {} failed for {} ({}); {}", sink.name(), note.alertId(), e.reason(), kept);
                progress.stage("delivery", sink.name() + ": failed (" + e.reason() + "), " + kept);
            }
        }
        String detail = receipts.size() + " sink(s) delivered" + (parked.isEmpty() ? "" : ", parked for " + parked);
        return new AlertRun(new ResponseOutcome(ResponseOutcome.Status.DELIVERED, detail),
                bundle, timings, diagnosis, diagnoseMs, note, receipts, parked);
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
        if (evidence instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing evidence source: {}", e.toString());
            }
        }
    }
}
