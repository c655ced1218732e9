package io.oomresponder.store;

import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.intake.AlertSignal;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.oomresponder.store.IncidentFixtures.APP;
import static io.oomresponder.store.IncidentFixtures.T0;
import static io.oomresponder.store.IncidentFixtures.diagnosis;
import static io.oomresponder.store.IncidentFixtures.fired;
import static io.oomresponder.store.IncidentFixtures.leak;
import static io.oomresponder.store.IncidentFixtures.resolved;
import static io.oomresponder.store.IncidentDecision.Action.IGNORE;
import static io.oomresponder.store.IncidentDecision.Action.NEW_INCIDENT;
import static io.oomresponder.store.IncidentDecision.Action.QUIET_UPDATE;
import static io.oomresponder.store.IncidentDecision.Action.RESOLVE;
import static io.oomresponder.store.IncidentDecision.Action.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentPolicyTest {

    private final IncidentPolicy policy = IncidentPolicy.ofDefaults();
    /** The app's incidents as a store would keep them. */
    private final List<Incident> stored = new ArrayList<>();

    private IncidentDecision record(AlertSignal alert, Diagnosis diagnosis) {
        return record(alert, diagnosis, null);
    }

    private IncidentDecision record(AlertSignal alert, Diagnosis diagnosis, String revision) {
        IncidentDecision d = policy.decide(List.copyOf(stored), alert, diagnosis, revision, alert.firedAt().plusSeconds(30));
        if (!d.repeat() && d.incident() != null) {
            stored.removeIf(i -> i.sequence() == d.incident().sequence());
            stored.add(d.incident());
        }
        return d;
    }

    @Test
    void firstAlertOpensTheAppsFirstIncident() {
        IncidentDecision d = record(fired("a1", T0), leak(3));

        assertThat(d.action()).isEqualTo(NEW_INCIDENT);
        assertThat(d.noteKind()).contains(io.oomresponder.note.RenderedNote.Kind.NEW_INCIDENT);
        assertThat(d.incident().sequence()).isEqualTo(1);
        assertThat(d.incident().id()).matches("orders-api-[0-9a-f]{16}-1");
        assertThat(d.incident().openedAt()).isEqualTo(T0);
        assertThat(d.incident().history()).singleElement()
                .satisfies(e -> assertThat(e.verdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED));
        assertThat(d.recurrence().ordinal()).isEqualTo(1);
        assertThat(d.recurrence().describe()).isEqualTo("1st memory incident for this app in 7 days");
    }

    @Test
    void alertWithinCooldownWithNothingMaterialIsAQuietUpdateOfTheSameIncident() {
        IncidentDecision first = record(fired("a1", T0), leak(4));
        IncidentDecision second = record(fired("a2", T0.plus(Duration.ofMinutes(110))), leak(5));

        assertThat(second.action()).isEqualTo(QUIET_UPDATE);
        assertThat(second.postsNote()).isFalse();
        assertThat(second.incident().id()).isEqualTo(first.incident().id());
        assertThat(second.incident().alertCount()).isEqualTo(2);
        assertThat(second.incident().notesPosted()).isEqualTo(1);
        assertThat(second.incident().history()).hasSize(2);
        assertThat(second.changes()).singleElement().asString().startsWith("nothing material changed");
    }

    @Test
    void alertAfterTheCooldownOpensANewIncidentThatKnowsTheLastOne() {
        IncidentDecision first = record(fired("a1", T0), leak(4));
        IncidentDecision later = record(fired("a2", T0.plus(Duration.ofHours(2)).plusSeconds(1)), leak(4));

        assertThat(later.action()).isEqualTo(NEW_INCIDENT);
        assertThat(later.incident().sequence()).isEqualTo(2);
        assertThat(later.recurrence().ordinal()).isEqualTo(2);
        assertThat(later.recurrence().previousIncidentId()).isEqualTo(first.incident().id());
    }

    @Test
    void cooldownRunsFromTheLatestAlertNotTheFirst() {
        record(fired("a1", T0), leak(4));
        record(fired("a2", T0.plus(Duration.ofMinutes(100))), leak(4));
        IncidentDecision third = record(fired("a3", T0.plus(Duration.ofMinutes(200))), leak(4));

        assertThat(third.action()).isEqualTo(QUIET_UPDATE);
        assertThat(third.incident().sequence()).isEqualTo(1);
    }

    @Test
    void changedVerdictIsMaterial() {
        record(fired("a1", T0), diagnosis(Diagnosis.Verdict.PEAK_DEMAND, 4, null));
        IncidentDecision d = record(fired("a2", T0.plusSeconds(600)), leak(4));

        assertThat(d.action()).isEqualTo(UPDATE);
        assertThat(d.noteKind()).contains(io.oomresponder.note.RenderedNote.Kind.UPDATE);
        assertThat(d.changes()).containsExactly("verdict PEAK_DEMAND → LEAK_SUSPECTED");
        assertThat(d.incident().notesPosted()).isEqualTo(2);
    }

    @Test
    void restartsUpByHalfAreMaterialButUpByLessAreNot() {
        record(fired("a1", T0), leak(4));
        IncidentDecision plus25 = record(fired("a2", T0.plusSeconds(300)), leak(5));
        IncidentDecision plus50 = record(fired("a3", T0.plusSeconds(600)), leak(6));

        assertThat(plus25.action()).isEqualTo(QUIET_UPDATE);
        assertThat(plus50.action()).isEqualTo(UPDATE);
        assertThat(plus50.changes()).containsExactly("restarts 4 → 6 (+50%)");
    }

    @Test
    void restartsAreComparedWithTheLastPostedNoteSoSlowCreepStillCounts() {
        record(fired("a1", T0), leak(10));
        assertThat(record(fired("a2", T0.plusSeconds(300)), leak(12)).action()).isEqualTo(QUIET_UPDATE);
        assertThat(record(fired("a3", T0.plusSeconds(600)), leak(14)).action()).isEqualTo(QUIET_UPDATE);
        IncidentDecision d = record(fired("a4", T0.plusSeconds(900)), leak(15));

        assertThat(d.action()).isEqualTo(UPDATE);
        assertThat(d.changes()).containsExactly("restarts 10 → 15 (+50%)");
        // The new baseline is this update: +2 on 15 is not material.
        assertThat(record(fired("a5", T0.plusSeconds(1200)), leak(17)).action()).isEqualTo(QUIET_UPDATE);
    }

    @Test
    void firstRestartAfterNoneIsMaterial() {
        record(fired("a1", T0), leak(0));
        IncidentDecision d = record(fired("a2", T0.plusSeconds(300)), leak(1));

        assertThat(d.action()).isEqualTo(UPDATE);
        assertThat(d.changes()).containsExactly("restarts 0 → 1");
    }

    @Test
    void projectionMovedMoreThanHalfAnHourIsMaterialButTwentyMinutesIsNot() {
        Instant oom = T0.plus(Duration.ofHours(3));
        record(fired("a1", T0), diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, 4, oom));
        IncidentDecision by20 = record(fired("a2", T0.plusSeconds(300)), diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, 4, oom.minus(Duration.ofMinutes(20))));
        IncidentDecision by31 = record(fired("a3", T0.plusSeconds(600)), diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, 4, oom.minus(Duration.ofMinutes(31))));

        assertThat(by20.action()).isEqualTo(QUIET_UPDATE);
        assertThat(by31.action()).isEqualTo(UPDATE);
        assertThat(by31.changes()).containsExactly("projected OOM moved 31 min earlier (2026-11-20T11:00:00Z → 2026-11-20T10:29:00Z)");
    }

    @Test
    void projectionThatAppearsIsMaterial() {
        record(fired("a1", T0), leak(4));
        IncidentDecision d = record(fired("a2", T0.plusSeconds(300)),
                diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, 4, T0.plus(Duration.ofHours(2))));

        assertThat(d.action()).isEqualTo(UPDATE);
        assertThat(d.changes()).containsExactly("OOM now projected at 2026-11-20T10:00:00Z");
    }

    @Test
    void newRevisionIsMaterialButARevisionSeenBeforeIsNot() {
        record(fired("a1", T0), leak(4), "orders-api--v7");
        IncidentDecision v8 = record(fired("a2", T0.plusSeconds(300)), leak(4), "orders-api--v8");
        IncidentDecision v7Again = record(fired("a3", T0.plusSeconds(600)), leak(4), "orders-api--v7");

        assertThat(v8.action()).isEqualTo(UPDATE);
        assertThat(v8.changes()).containsExactly("new revision orders-api--v8");
        assertThat(v7Again.action()).isEqualTo(QUIET_UPDATE);
        assertThat(v7Again.incident().revisions()).containsExactly("orders-api--v7", "orders-api--v8");
    }

    @Test
    void revisionComesFromTheAlertsRevisionNameDimensionWhenNotGiven() {
        AlertSignal a = fired("a1", T0);
        AlertSignal withDimension = new AlertSignal(a.id(), a.rule(), a.signal(), a.condition(), a.firedAt(), null, a.targetResourceId(),
                null, a.severity(), a.metricValue(), a.threshold(), null, Map.of("revisionName", "orders-api--v9"), null, null);

        IncidentDecision d = record(withDimension, leak(4));

        assertThat(d.incident().history().get(0).revision()).isEqualTo("orders-api--v9");
    }

    @Test
    void resolvedClosesTheIncidentWithTimeToResolve() {
        record(fired("a1", T0), leak(4));
        record(fired("a2", T0.plusSeconds(600)), leak(4));
        record(resolved("a2", T0.plusSeconds(600), T0.plus(Duration.ofMinutes(30))), null);
        IncidentDecision d = record(resolved("a1", T0, T0.plus(Duration.ofMinutes(47))), null);

        assertThat(d.action()).isEqualTo(RESOLVE);
        assertThat(d.noteKind()).contains(io.oomresponder.note.RenderedNote.Kind.RESOLUTION);
        assertThat(d.incident().status()).isEqualTo(Incident.Status.RESOLVED);
        assertThat(d.incident().timeToResolve()).isEqualTo(Duration.ofMinutes(47));
        assertThat(d.incident().firingAlerts()).isEmpty();
    }

    @Test
    void resolvingOneOfTwoFiringAlertsKeepsTheIncidentOpenAndQuiet() {
        record(fired("a1", T0), leak(4));
        record(fired("a2", T0.plusSeconds(600)), leak(4));
        IncidentDecision d = record(resolved("a1", T0, T0.plus(Duration.ofMinutes(30))), null);

        assertThat(d.action()).isEqualTo(QUIET_UPDATE);
        assertThat(d.incident().status()).isEqualTo(Incident.Status.OPEN);
        assertThat(d.incident().firingAlerts()).containsExactly(IncidentFixtures.alertId("a2"));
        assertThat(d.changes()).containsExactly("alert resolved; 1 other alert of this incident still firing");
    }

    @Test
    void resolvedThatNoOpenIncidentHoldsIsIgnored() {
        IncidentDecision d = record(resolved("unknown", T0, T0.plusSeconds(60)), null);

        assertThat(d.action()).isEqualTo(IGNORE);
        assertThat(d.incident()).isNull();
        assertThat(d.postsNote()).isFalse();
        assertThat(stored).isEmpty();
    }

    @Test
    void anAlertAfterResolutionOpensANewIncident() {
        record(fired("a1", T0), leak(4));
        record(resolved("a1", T0, T0.plusSeconds(600)), null);
        IncidentDecision d = record(fired("a2", T0.plusSeconds(900)), leak(4));

        assertThat(d.action()).isEqualTo(NEW_INCIDENT);
        assertThat(d.incident().sequence()).isEqualTo(2);
    }

    @Test
    void repeatedAlertGetsTheFirstDecisionAgainAndChangesNothing() {
        IncidentDecision first = record(fired("a1", T0), leak(4));
        IncidentDecision again = record(fired("a1", T0), leak(9));

        assertThat(again.repeat()).isTrue();
        assertThat(again.action()).isEqualTo(NEW_INCIDENT);
        assertThat(again.incident()).isEqualTo(first.incident());
        assertThat(stored).singleElement().satisfies(i -> assertThat(i.alertCount()).isEqualTo(1));
    }

    @Test
    void recurrenceCountsIncidentsInTheWindowAndNamesTheLastVerdictAndRevision() {
        record(fired("a1", T0), leak(4), "r1");
        record(resolved("a1", T0, T0.plusSeconds(600)), null);
        record(fired("a2", T0.plus(Duration.ofDays(2))), diagnosis(Diagnosis.Verdict.PEAK_DEMAND, 4, null), "r2");
        record(resolved("a2", T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2)).plusSeconds(600)), null);
        IncidentDecision third = record(fired("a3", T0.plus(Duration.ofDays(5))), leak(4), "r3");
        IncidentDecision eightDaysLater = record(fired("a4", T0.plus(Duration.ofDays(9))), leak(4), "r4");

        assertThat(third.recurrence().describe())
                .isEqualTo("3rd memory incident for this app in 7 days; last verdict PEAK_DEMAND on revision r2");
        // The first incident (9 days back) has left the window.
        assertThat(eightDaysLater.recurrence().ordinal()).isEqualTo(3);
        assertThat(eightDaysLater.recurrence().previousVerdict()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
    }

    @Test
    void historyKeepsTheFirstAndTheLatestEvents() {
        for (int i = 0; i < Incident.MAX_HISTORY_EVENTS + 10; i++) {
            record(fired("a" + i, T0.plusSeconds(60L * i)), leak(4));
        }
        Incident incident = stored.get(0);

        assertThat(incident.history()).hasSize(Incident.MAX_HISTORY_EVENTS);
        assertThat(incident.history().get(0).at()).isEqualTo(T0);
        assertThat(incident.history().get(Incident.MAX_HISTORY_EVENTS - 1).at()).isEqualTo(T0.plusSeconds(60L * (Incident.MAX_HISTORY_EVENTS + 9)));
        assertThat(incident.alertCount()).isEqualTo(Incident.MAX_HISTORY_EVENTS + 10);
    }

    @Test
    void firedAlertWithoutDiagnosisIsRejected() {
        assertThatThrownBy(() -> policy.decide(List.of(), fired("a1", T0), null, null, T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs its diagnosis");
    }

    @Test
    void settingsConfigureTheCooldownAndRejectNonsense() {
        IncidentPolicy fromSettings = IncidentPolicy.fromSettings(new Settings(Map.of("INCIDENT_COOLDOWN", "PT30M")));
        assertThat(fromSettings.cooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(fromSettings.recurrenceWindow()).isEqualTo(Duration.ofDays(7));

        assertThatThrownBy(() -> IncidentPolicy.fromSettings(new Settings(Map.of("INCIDENT_COOLDOWN", "-PT1H"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cooldown");
    }

    @Test
    void appResourceIdCaseDoesNotSplitIncidents() {
        assertThat(Incident.idFor(APP, 1)).isEqualTo(Incident.idFor(APP.toUpperCase(), 1));
        assertThat(Incident.sequenceOf(Incident.idFor(APP, 42))).isEqualTo(42);
    }

    @Test
    void ordinalsReadAsEnglish() {
        assertThat(List.of(1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111).stream().map(Recurrence::ordinalWord))
                .containsExactly("1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th");
    }
}
