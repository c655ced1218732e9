package io.oomresponder.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.oomresponder.store.IncidentFixtures.APP;
import static io.oomresponder.store.IncidentFixtures.T0;
import static io.oomresponder.store.IncidentFixtures.fired;
import static io.oomresponder.store.IncidentFixtures.leak;
import static io.oomresponder.store.IncidentFixtures.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The behaviour every {@link IncidentStore} must have, run against each implementation: dedupe of
 * repeated and concurrent deliveries, the fired → fired → resolved lifecycle, redelivery after a
 * sink outage, and (where the store is durable) a process restart between failure and redelivery.
 */
abstract class IncidentStoreContract {

    /** A store on fresh, empty storage. */
    protected abstract IncidentStore newStore();

    /** A second store instance on the same storage as the last {@link #newStore()} (a restarted process). */
    protected abstract IncidentStore restartedStore();

    /** Whether the store's state survives a restart. */
    protected abstract boolean durable();

    protected IncidentStore store;
    protected final MutableClock clock = new MutableClock(T0);
    private final RedeliveryPolicy redeliveryPolicy = RedeliveryPolicy.ofDefaults();

    @BeforeEach
    void freshStore() {
        store = newStore();
    }

    /** The pipeline's use of the store, as the interface Javadoc describes it. Returns the decision, or null for a duplicate. */
    private IncidentDecision handle(IncidentStore on, AlertSignal alert, Diagnosis diagnosis, Notifier sink, Redelivery redelivery) {
        Instant now = clock.instant();
        if (!on.claim(alert.dedupeKey(), now)) {
            return null;
        }
        try {
            IncidentDecision d = on.recordDiagnosis(alert, diagnosis, null, now);
            if (d.postsNote()) {
                RenderedNote note = IncidentFixtures.note(d, alert);
                try {
                    on.recordDelivered(note, sink.send(note));
                } catch (DeliveryException e) {
                    redelivery.park(note, sink.name(), e);
                }
            }
            on.complete(alert.dedupeKey(), now);
            return d;
        } catch (RuntimeException e) {
            on.release(alert.dedupeKey());
            throw e;
        }
    }

    private IncidentDecision handle(AlertSignal alert, Diagnosis diagnosis, Notifier sink) {
        return handle(store, alert, diagnosis, sink, redelivery(store, sink, null));
    }

    private Redelivery redelivery(IncidentStore on, Notifier sink, Notifier fallback) {
        return new Redelivery(on, List.of(sink), fallback, redeliveryPolicy, clock);
    }

    // ---- dedupe -------------------------------------------------------------------------------

    @Test
    void duplicateDeliveryOfAnAlertIsNotProcessedTwice() {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        AlertSignal alert = fired("dup", T0);

        IncidentDecision first = handle(alert, leak(4), teams);
        IncidentDecision second = handle(alert, leak(4), teams);

        assertThat(first.action()).isEqualTo(IncidentDecision.Action.NEW_INCIDENT);
        assertThat(second).isNull();
        assertThat(teams.delivered()).hasSize(1);
        assertThat(store.incidents(APP, 10)).singleElement().satisfies(i -> assertThat(i.alertCount()).isEqualTo(1));
    }

    @Test
    void claimHoldsUntilReleasedOrItsLeaseRunsOut() {
        String key = fired("lease", T0).dedupeKey();

        assertThat(store.claim(key, T0)).isTrue();
        assertThat(store.claim(key, T0.plusSeconds(50))).as("held by the first claimant").isFalse();
        store.release(key);
        assertThat(store.claim(key, T0.plusSeconds(51))).as("released after a failure").isTrue();
        assertThat(store.claim(key, T0.plus(IncidentStore.DEFAULT_CLAIM_LEASE).plusSeconds(52)))
                .as("the claimant died: its lease ran out").isTrue();
        store.complete(key, T0.plus(Duration.ofMinutes(15)));
        assertThat(store.claim(key, T0.plus(Duration.ofDays(1)))).as("completed for good").isFalse();
    }

    @Test
    void processKilledMidAlertStillEndsInExactlyOneNoteWhenTheQueueRedelivers() {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        AlertSignal alert = fired("killed", T0);
        // The first process claims the alert and records it, then dies before sending or completing.
        assertThat(store.claim(alert.dedupeKey(), T0)).isTrue();
        IncidentDecision before = store.recordDiagnosis(alert, leak(4), null, T0);

        // The queue redelivers the message; while the lease holds it is a duplicate, after that it is taken over.
        clock.advance(Duration.ofSeconds(30));
        assertThat(handle(alert, leak(4), teams)).isNull();
        clock.advance(IncidentStore.DEFAULT_CLAIM_LEASE);
        IncidentDecision after = handle(alert, leak(4), teams);

        assertThat(after.repeat()).isTrue();
        assertThat(after.action()).isEqualTo(IncidentDecision.Action.NEW_INCIDENT);
        assertThat(after.incident().id()).isEqualTo(before.incident().id());
        assertThat(teams.delivered()).singleElement().satisfies(n -> assertThat(n.kind()).isEqualTo(RenderedNote.Kind.NEW_INCIDENT));
        assertThat(store.incidents(APP, 10)).singleElement().satisfies(i -> assertThat(i.alertCount()).isEqualTo(1));
        assertThat(handle(alert, leak(4), teams)).as("completed now").isNull();
    }

    @Test
    void twentyConcurrentDeliveriesOfOneAlertProduceExactlyOneNote() throws Exception {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        AlertSignal alert = fired("storm", T0);

        List<IncidentDecision> decisions = concurrently(20, i -> handle(store, alert, leak(4), teams, redelivery(store, teams, null)));

        assertThat(decisions.stream().filter(d -> d != null)).hasSize(1);
        assertThat(teams.delivered()).hasSize(1);
        assertThat(store.incidents(APP, 10)).singleElement().satisfies(i -> {
            assertThat(i.alertCount()).isEqualTo(1);
            assertThat(i.noteReferences()).containsEntry("teams", "teams-ref-1");
        });
    }

    @Test
    void concurrentDifferentAlertsForOneAppFormOneIncident() throws Exception {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");

        // Two instances (processes) with four threads each: both in-process and cross-process races.
        IncidentStore other = durable() ? restartedStore() : store;
        List<IncidentDecision> decisions = concurrently(8, i -> {
            IncidentStore on = i % 2 == 0 ? store : other;
            return handle(on, fired("burst-" + i, T0.plusSeconds(i)), leak(4), teams, redelivery(on, teams, null));
        });

        assertThat(decisions).extracting(IncidentDecision::action)
                .containsOnlyOnce(IncidentDecision.Action.NEW_INCIDENT)
                .containsOnly(IncidentDecision.Action.NEW_INCIDENT, IncidentDecision.Action.QUIET_UPDATE);
        assertThat(teams.delivered()).hasSize(1);
        assertThat(store.incidents(APP, 10)).singleElement().satisfies(i -> {
            assertThat(i.alertCount()).isEqualTo(8);
            assertThat(i.firingAlerts()).hasSize(8);
        });
    }

    // ---- lifecycle ----------------------------------------------------------------------------

    @Test
    void firedFiredResolvedIsOneIncidentWithAnUpdateOnlyWhenMaterialAndAResolution() {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        AlertSignal restarts = fired("restarts", T0);
        AlertSignal workingSet = fired("working-set", T0.plus(Duration.ofMinutes(10)));
        AlertSignal workingSetAgain = fired("working-set-2", T0.plus(Duration.ofMinutes(20)));

        IncidentDecision opened = handle(restarts, leak(4), teams);
        clock.advance(Duration.ofMinutes(10));
        IncidentDecision quiet = handle(workingSet, leak(5), teams);
        clock.advance(Duration.ofMinutes(10));
        IncidentDecision material = handle(workingSetAgain, leak(7), teams);
        clock.advance(Duration.ofMinutes(20));
        handle(resolved("working-set", workingSet.firedAt(), T0.plus(Duration.ofMinutes(38))), null, teams);
        handle(resolved("working-set-2", workingSetAgain.firedAt(), T0.plus(Duration.ofMinutes(39))), null, teams);
        IncidentDecision closed = handle(resolved("restarts", T0, T0.plus(Duration.ofMinutes(40))), null, teams);

        assertThat(opened.action()).isEqualTo(IncidentDecision.Action.NEW_INCIDENT);
        assertThat(quiet.action()).isEqualTo(IncidentDecision.Action.QUIET_UPDATE);
        assertThat(material.action()).isEqualTo(IncidentDecision.Action.UPDATE);
        assertThat(material.changes()).containsExactly("restarts 4 → 7 (+75%)");
        assertThat(closed.action()).isEqualTo(IncidentDecision.Action.RESOLVE);
        assertThat(teams.delivered()).extracting(RenderedNote::kind)
                .containsExactly(RenderedNote.Kind.NEW_INCIDENT, RenderedNote.Kind.UPDATE, RenderedNote.Kind.RESOLUTION);
        assertThat(teams.delivered()).extracting(RenderedNote::incidentId).containsOnly(opened.incident().id());

        Incident stored = store.incident(APP, opened.incident().id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(Incident.Status.RESOLVED);
        assertThat(stored.timeToResolve()).isEqualTo(Duration.ofMinutes(40));
        assertThat(stored.alertCount()).isEqualTo(6);
        assertThat(stored.notesPosted()).isEqualTo(3);
        assertThat(stored.noteReferences()).as("the first note's reference, for threading").containsExactly(java.util.Map.entry("teams", "teams-ref-1"));
        assertThat(stored.history()).extracting(IncidentEvent::verdict)
                .containsExactly(Diagnosis.Verdict.LEAK_SUSPECTED, Diagnosis.Verdict.LEAK_SUSPECTED, Diagnosis.Verdict.LEAK_SUSPECTED, null, null, null);
    }

    @Test
    void incidentsAreListedNewestFirstAndRecurrenceSeesEarlierOnes() {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        for (int day = 0; day < 3; day++) {
            Instant at = T0.plus(Duration.ofDays(day));
            clock.set(at);
            handle(fired("day-" + day, at), leak(4), teams);
            handle(resolved("day-" + day, at, at.plusSeconds(600)), null, teams);
        }
        clock.set(T0.plus(Duration.ofDays(3)));
        IncidentDecision fourth = handle(fired("day-3", T0.plus(Duration.ofDays(3))), leak(4), teams);

        assertThat(store.incidents(APP, 10)).extracting(Incident::sequence).containsExactly(4L, 3L, 2L, 1L);
        assertThat(store.incidents(APP, 2)).extracting(Incident::sequence).containsExactly(4L, 3L);
        assertThat(fourth.recurrence().describe()).isEqualTo("4th memory incident for this app in 7 days; last verdict LEAK_SUSPECTED");
    }

    @Test
    void appIdsWithCharactersTableKeysForbidAreStoredAndFound() {
        String odd = "/subscriptions/x/resourceGroups/rg#?\\1/providers/Microsoft.App/containerApps/it's-odd\u0007";
        IncidentDecision d = store.recordDiagnosis(fired(odd, "odd", T0), leak(2), null, T0);

        assertThat(store.incident(odd, d.incident().id())).get().extracting(Incident::appResourceId).isEqualTo(odd);
        assertThat(store.incidents(odd.toUpperCase(), 5)).hasSize(1);
        assertThat(store.incidents(APP, 5)).isEmpty();
    }

    // ---- redelivery ---------------------------------------------------------------------------

    @Test
    void noteIsRedeliveredWithBackoffAfterASinkOutage() {
        ScriptedNotifier teams = new ScriptedNotifier("teams", 3, true);
        Redelivery redelivery = redelivery(store, teams, null);

        IncidentDecision d = handle(store, fired("outage", T0), leak(4), teams, redelivery);
        assertThat(teams.attempts()).isEqualTo(1);
        assertThat(redelivery.sweep().due()).as("not due before the first backoff").isZero();

        clock.advance(Duration.ofMinutes(1));
        assertThat(redelivery.sweep()).isEqualTo(new RedeliveryReport(1, 0, 1, 0, 0));
        clock.advance(Duration.ofMinutes(1));
        assertThat(redelivery.sweep().due()).as("second backoff is 2 min").isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(redelivery.sweep()).isEqualTo(new RedeliveryReport(1, 0, 1, 0, 0));
        assertThat(store.undelivered(UndeliveredNote.Status.PENDING)).singleElement().satisfies(n -> {
            assertThat(n.attempts()).isEqualTo(3);
            assertThat(n.nextAttemptAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(4)));
            assertThat(n.lastError()).contains("SERVER_ERROR", "503");
        });
        clock.advance(Duration.ofMinutes(4));
        assertThat(redelivery.sweep()).isEqualTo(new RedeliveryReport(1, 1, 0, 0, 0));

        assertThat(teams.delivered()).singleElement().satisfies(n -> assertThat(n.alertId()).isEqualTo(IncidentFixtures.alertId("outage")));
        assertThat(store.undelivered(UndeliveredNote.Status.PENDING)).isEmpty();
        assertThat(store.dueForRedelivery(clock.instant().plus(Duration.ofDays(2)), 10)).isEmpty();
        assertThat(store.incident(APP, d.incident().id()).orElseThrow().noteReferences()).containsEntry("teams", "teams-ref-1");
    }

    @Test
    void noteThatAgesOutIsReportedToTheFallbackAndNotRetried() {
        ScriptedNotifier teams = ScriptedNotifier.down("teams");
        ScriptedNotifier file = ScriptedNotifier.working("file");
        Redelivery redelivery = redelivery(store, teams, file);
        handle(store, fired("lost", T0), leak(4), teams, redelivery);

        int sweeps = 0;
        while (file.delivered().isEmpty() && sweeps++ < 100) {
            clock.advance(Duration.ofMinutes(30));
            redelivery.sweep();
        }

        assertThat(clock.instant()).isBetween(T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofHours(25)));
        assertThat(file.delivered()).singleElement().satisfies(n -> assertThat(n.alertId()).isEqualTo(IncidentFixtures.alertId("lost")));
        assertThat(store.undelivered(UndeliveredNote.Status.EXPIRED)).singleElement()
                .satisfies(n -> assertThat(n.lastError()).startsWith("aged out after"));
        int attempts = teams.attempts();
        clock.advance(Duration.ofDays(1));
        assertThat(redelivery.sweep().due()).isZero();
        assertThat(teams.attempts()).isEqualTo(attempts);
    }

    @Test
    void sinkThatRefusesForGoodIsReportedAtOnce() {
        ScriptedNotifier jira = new ScriptedNotifier("jira", 1, false);
        ScriptedNotifier file = ScriptedNotifier.working("file");
        Redelivery redelivery = redelivery(store, jira, file);

        handle(store, fired("refused", T0), leak(4), jira, redelivery);

        assertThat(file.delivered()).hasSize(1);
        assertThat(store.undelivered(UndeliveredNote.Status.EXPIRED)).singleElement()
                .satisfies(n -> assertThat(n.lastError()).startsWith("refused: CLIENT_ERROR"));
        clock.advance(Duration.ofHours(1));
        assertThat(redelivery.sweep().due()).isZero();
    }

    @Test
    void twoSweepersAtOnceSendADueNoteOnce() throws Exception {
        ScriptedNotifier teams = new ScriptedNotifier("teams", 1, true);
        handle(store, fired("race", T0), leak(4), teams, redelivery(store, teams, null));
        clock.advance(Duration.ofMinutes(5));
        IncidentStore other = durable() ? restartedStore() : store;

        List<RedeliveryReport> reports = concurrently(2,
                i -> redelivery(i == 0 ? store : other, teams, null).sweep());

        assertThat(teams.delivered()).hasSize(1);
        assertThat(reports.stream().mapToInt(RedeliveryReport::delivered).sum()).isEqualTo(1);
    }

    @Test
    void storedNoteComesBackExactlyIncludingALargeChart() {
        byte[] chart = new byte[200_000];
        new Random(7).nextBytes(chart); // incompressible, so it spans several stored chunks
        var card = JsonNodeFactory.instance.objectNode().put("type", "AdaptiveCard").put("version", "1.4");
        RenderedNote note = new RenderedNote(IncidentFixtures.alertId("big"), IncidentFixtures.alertId("big") + "|Fired", "orders-api-1",
                RenderedNote.Kind.NEW_INCIDENT, false, APP, "Sev1", "Memory leak suspected: orders-api", card,
                "# Leak\nä €", "<h1>Leak</h1>", "Leak", chart, JsonNodeFactory.instance.objectNode().put("verdict", "LEAK_SUSPECTED"));

        assertThat(store.saveUndelivered(UndeliveredNote.firstFailure(note, "teams", T0, T0.plusSeconds(60), "SERVER_ERROR: 503"))).isTrue();
        assertThat(store.saveUndelivered(UndeliveredNote.firstFailure(note, "teams", T0, T0.plusSeconds(60), "again"))).as("already waiting").isFalse();

        assertThat(store.dueForRedelivery(T0.plusSeconds(59), 10)).isEmpty();
        UndeliveredNote back = store.dueForRedelivery(T0.plusSeconds(60), 10).get(0);
        assertThat(back.note().chartPng()).isEqualTo(chart);
        assertThat(back.note().card()).isEqualTo(card);
        assertThat(back.note()).usingRecursiveComparison().ignoringFields("chartPng").isEqualTo(note);
        assertThat(back.lastError()).isEqualTo("SERVER_ERROR: 503");
        assertThat(back.firstFailedAt()).isEqualTo(T0);
    }

    @Test
    void undeliveredNoteSurvivesAProcessRestartAndIsDeliveredByTheNewProcess() {
        assumeTrue(durable(), "this store keeps nothing across restarts");
        ScriptedNotifier teamsDown = ScriptedNotifier.down("teams");
        IncidentDecision d = handle(store, fired("restart", T0), leak(4), teamsDown, redelivery(store, teamsDown, null));
        RenderedNote parked = store.undelivered(UndeliveredNote.Status.PENDING).get(0).note();

        // The process dies; a new one starts with a new store instance and working sinks.
        IncidentStore afterRestart = restartedStore();
        ScriptedNotifier teamsUp = ScriptedNotifier.working("teams");
        clock.advance(Duration.ofMinutes(2));
        RedeliveryReport report = redelivery(afterRestart, teamsUp, null).sweep();

        assertThat(report.delivered()).isEqualTo(1);
        assertThat(teamsUp.delivered()).singleElement().usingRecursiveComparison().isEqualTo(parked);
        assertThat(afterRestart.undelivered(UndeliveredNote.Status.PENDING)).isEmpty();
        assertThat(afterRestart.incident(APP, d.incident().id()).orElseThrow().noteReferences()).containsEntry("teams", "teams-ref-1");
        assertThat(afterRestart.claim(fired("restart", T0).dedupeKey(), clock.instant())).as("the alert stays done").isFalse();
    }

    /** Runs {@code n} tasks at once (released together) and returns their results in order. */
    private static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> c = () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(c));
            }
            ready.await(30, TimeUnit.SECONDS);
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- issue 17: heartbeat, per-sink records, failures, retention ----------------------------

    @Test
    void aRenewedClaimOutlivesItsLeaseAndOnlyAnExpiredOneIsTakenOverByAnotherOwner() {
        String key = fired("heartbeat", T0).dedupeKey();
        Duration lease = store.claimLease();

        assertThat(store.tryClaim(key, "a", T0)).isEqualTo(IncidentStore.ClaimResult.CLAIMED);
        Instant renewedAt = T0.plus(lease.multipliedBy(3).dividedBy(4));
        assertThat(store.renewClaim(key, "a", renewedAt)).as("the live handler renews").isTrue();
        assertThat(store.tryClaim(key, "b", T0.plus(lease).plusSeconds(1)))
                .as("past the first lease, but renewed: still held").isEqualTo(IncidentStore.ClaimResult.HELD_ELSEWHERE);
        assertThat(store.renewClaim(key, "b", renewedAt)).as("only the owner renews").isFalse();

        // Owner a dies: no more renewals. One lease after its last renewal, b takes over.
        assertThat(store.tryClaim(key, "b", renewedAt.plus(lease).plusMillis(1))).isEqualTo(IncidentStore.ClaimResult.CLAIMED);
        assertThat(store.renewClaim(key, "a", renewedAt.plus(lease).plusSeconds(2))).as("a learns it lost the claim").isFalse();
        store.release(key, "a");
        assertThat(store.tryClaim(key, "c", renewedAt.plus(lease).plusSeconds(3)))
                .as("a late release by the old owner does not free b's claim").isEqualTo(IncidentStore.ClaimResult.HELD_ELSEWHERE);
        store.complete(key, renewedAt.plus(lease).plusSeconds(4));
        assertThat(store.renewClaim(key, "b", renewedAt.plus(lease).plusSeconds(5))).as("nothing to renew once done").isFalse();
    }

    @Test
    void sinksThatTookANoteAreRememberedAcrossAReleaseAndPerAlert() {
        String key = fired("per-sink", T0).dedupeKey();
        assertThat(store.tryClaim(key, "a", T0)).isEqualTo(IncidentStore.ClaimResult.CLAIMED);
        store.recordSinkDelivered(key, "teams", T0);
        store.recordSinkDelivered(key, "teams", T0.plusSeconds(1));
        store.release(key, "a");

        assertThat(store.deliveredSinks(key)).containsExactly("teams");
        assertThat(store.deliveredSinks(fired("other", T0).dedupeKey())).isEmpty();
        store.recordSinkDelivered(key, "webhook", T0.plusSeconds(2));
        assertThat(store.deliveredSinks(key)).containsExactlyInAnyOrder("teams", "webhook");
        if (durable()) {
            assertThat(restartedStore().deliveredSinks(key)).containsExactlyInAnyOrder("teams", "webhook");
        }
    }

    @Test
    void theLastFailureOfAnAlertIsKeptForThePoisonReport() {
        String key = fired("failing", T0).dedupeKey();
        assertThat(store.lastFailure(key)).isEmpty();
        store.recordFailure(key, "IllegalStateException: first", T0);
        store.recordFailure(key, "IllegalStateException: second", T0.plusSeconds(75));
        assertThat(store.lastFailure(key)).contains("IllegalStateException: second");
    }

    @Test
    void aNoteForASinkThatAlreadyTookItIsNotSentAgainByTheRedelivery() {
        ScriptedNotifier teams = ScriptedNotifier.working("teams");
        AlertSignal alert = fired("late-answer", T0);
        IncidentDecision d = store.recordDiagnosis(alert, leak(4), null, T0);
        RenderedNote note = IncidentFixtures.note(d, alert);
        Redelivery redelivery = redelivery(store, teams, null);
        redelivery.park(note, "teams", new DeliveryException("teams", DeliveryException.Reason.NETWORK, true, "timed out"));
        // The sink answered after all, after the handler had parked the note.
        store.recordSinkDelivered(note.dedupeKey(), "teams", T0.plusSeconds(1));

        clock.advance(Duration.ofMinutes(5));
        redelivery.sweep();

        assertThat(teams.attempts()).isZero();
        assertThat(store.dueForRedelivery(clock.instant().plus(Duration.ofDays(1)), 10)).isEmpty();
    }

    @Test
    void retentionDeletesFinishedClaimsOldIncidentsAndExpiredNotesButKeepsRecentAndPendingOnes() {
        StoreRetention retention = StoreRetention.ofDefaults();
        String oldKey = fired("old", T0).dedupeKey();
        String recentKey = fired("recent", T0.plus(Duration.ofDays(95))).dedupeKey();
        store.claim(oldKey, T0);
        store.recordSinkDelivered(oldKey, "teams", T0);
        store.complete(oldKey, T0);
        IncidentDecision old = store.recordDiagnosis(fired("old", T0), leak(3), null, T0);
        ScriptedNotifier down = ScriptedNotifier.down("teams");
        RenderedNote refused = IncidentFixtures.note(old, fired("old", T0));
        Redelivery redelivery = redelivery(store, down, null);
        redelivery.park(refused, "teams", new DeliveryException("teams", DeliveryException.Reason.CLIENT_ERROR, false, "400"));

        Instant later = T0.plus(Duration.ofDays(95));
        clock.set(later);
        store.claim(recentKey, later);
        store.complete(recentKey, later);
        AlertSignal recent = fired("recent-app", later);
        RenderedNote pending = IncidentFixtures.note(store.recordDiagnosis(recent, leak(3), null, later), recent);
        redelivery.park(pending, "teams", new DeliveryException("teams", DeliveryException.Reason.SERVER_ERROR, true, "503"));

        RetentionReport report = store.sweepRetention(retention, later);

        assertThat(report.claims()).isEqualTo(1);
        assertThat(report.incidents()).isEqualTo(1);
        assertThat(report.notes()).isEqualTo(1);
        assertThat(store.deliveredSinks(oldKey)).as("sink records go with their claim").isEmpty();
        assertThat(store.claim(recentKey, later.plusSeconds(1))).as("a recent claim is kept: still a duplicate").isFalse();
        assertThat(store.incidents(APP, 10)).singleElement().satisfies(i -> assertThat(i.lastAlertAt()).isEqualTo(later));
        assertThat(store.undelivered(UndeliveredNote.Status.PENDING)).hasSize(1);
        assertThat(store.sweepRetention(retention, later)).isEqualTo(new RetentionReport(0, 0, 0));
    }

    @Test
    void anOperatorReportIsClaimedOncePerPeriodAndSweptWhenItsPeriodIsOver() {
        Duration day = Duration.ofDays(1);
        String subject = "missing-app|/subscriptions/s/resourcegroups/rg/providers/microsoft.app/containerapps/gone";
        IncidentStore other = durable() ? restartedStore() : store;

        assertThat(store.claimOperatorReport(subject, T0, day)).isTrue();
        assertThat(store.claimOperatorReport(subject, T0.plus(Duration.ofHours(23)), day)).as("within the period").isFalse();
        assertThat(other.claimOperatorReport(subject, T0.plus(Duration.ofHours(1)), day)).as("within the period, another instance").isFalse();
        assertThat(store.claimOperatorReport("missing-app|another", T0.plusSeconds(1), day)).as("another subject").isTrue();
        assertThat(other.claimOperatorReport(subject, T0.plus(day), day)).as("the period is over").isTrue();
        assertThat(store.claimOperatorReport(subject, T0.plus(day).plusSeconds(1), day)).as("a new period began").isFalse();

        Instant afterBoth = T0.plus(Duration.ofDays(2)).plusSeconds(2);
        assertThat(store.sweepRetention(StoreRetention.ofDefaults(), T0.plus(day).plusSeconds(2)).claims())
                .as("only the record whose period is over goes").isEqualTo(1);
        assertThat(store.sweepRetention(StoreRetention.ofDefaults(), afterBoth).claims()).isEqualTo(1);
        assertThat(store.sweepRetention(StoreRetention.ofDefaults(), afterBoth).claims()).isZero();
        assertThat(store.claimOperatorReport(subject, afterBoth, day)).isTrue();
    }

    @Test
    void instancesRacingToReportTheSameSubjectAgreeOnOneReporter() throws Exception {
        Duration day = Duration.ofDays(1);
        String subject = "missing-app|/subscriptions/s/resourcegroups/rg/providers/microsoft.app/containerapps/raced";
        List<IncidentStore> instances = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            instances.add(durable() ? restartedStore() : store);
        }
        for (Instant at : List.of(T0, T0.plus(day).plusSeconds(5))) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(instances.size());
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Boolean>> claims = new java.util.ArrayList<>();
                for (IncidentStore instance : instances) {
                    claims.add(pool.submit(() -> {
                        start.await();
                        return instance.claimOperatorReport(subject, at, day);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (var c : claims) {
                    winners += c.get(60, java.util.concurrent.TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("reporters at " + at).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
