package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;
import io.oomresponder.config.Settings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvidenceWindowPolicyTest {

    private static final Instant FIRED = Instant.parse("2026-10-12T12:04:50Z");
    private static final long LIMIT = 1L << 30;

    private final EvidenceWindowPolicy policy = EvidenceWindowPolicy.from(new Settings(Map.of()));

    private static AlertSignal alert(Instant firedAt) {
        return new AlertSignal("a", "r", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Fired, firedAt, null,
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/x", null, null, null, null, null, null, null, null);
    }

    @Test
    void sixHoursBeforeFiringToFiveMinutesAfterInWholeMinutes() {
        EvidenceWindow w = policy.initial(alert(FIRED), FIRED.plus(Duration.ofDays(3)));

        assertThat(w.start()).isEqualTo(Instant.parse("2026-10-12T06:04:00Z"));
        assertThat(w.end()).isEqualTo(Instant.parse("2026-10-12T12:10:00Z"));
        assertThat(w.grain()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void replayOfAnOldAlertUsesTheAlertTimeNotNow() {
        EvidenceWindow w = policy.initial(alert(FIRED), Instant.parse("2027-01-01T00:00:00Z"));

        assertThat(w.end()).isEqualTo(Instant.parse("2026-10-12T12:10:00Z"));
    }

    @Test
    void endIsCappedAtNowForAFreshAlert() {
        Instant now = FIRED.plusSeconds(40);

        assertThat(policy.initial(alert(FIRED), now).end()).isEqualTo(now);
    }

    @Test
    void anAlertStampedAfterOurClockStillGetsAWindow() {
        EvidenceWindow w = policy.initial(alert(FIRED), FIRED.minus(Duration.ofHours(7)));

        assertThat(w.end()).isAfter(w.start());
    }

    @Test
    void lookbackComesFromSettingsAndWidensOnceToTheMaximum() {
        EvidenceWindowPolicy p = EvidenceWindowPolicy.from(new Settings(Map.of("EVIDENCE_LOOKBACK", "PT1H", "EVIDENCE_MAX_LOOKBACK", "PT24H")));

        assertThat(p.initial(alert(FIRED), FIRED.plus(Duration.ofHours(1))).start()).isEqualTo(Instant.parse("2026-10-12T11:04:00Z"));
        assertThat(p.widened(alert(FIRED), FIRED.plus(Duration.ofHours(1)))).get()
                .extracting(EvidenceWindow::start).isEqualTo(Instant.parse("2026-10-11T12:04:00Z"));
        assertThat(EvidenceWindowPolicy.from(new Settings(Map.of("EVIDENCE_LOOKBACK", "PT24H"))).widened(alert(FIRED), FIRED)).isEmpty();
    }

    @Test
    void aMaximumShorterThanTheLookbackIsRejected() {
        assertThatThrownBy(() -> EvidenceWindowPolicy.from(new Settings(Map.of("EVIDENCE_LOOKBACK", "PT12H", "EVIDENCE_MAX_LOOKBACK", "PT6H"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EVIDENCE_MAX_LOOKBACK");
    }

    @Test
    void growthAlreadyHighAndRisingAtTheWindowStartAsksForAWiderWindow() {
        MetricSeries slowLeak = series(i -> 0.6 * LIMIT + i * 0.002 * LIMIT, 120);

        assertThat(policy.growthBeganBeforeWindow(List.of(slowLeak), LIMIT)).isTrue();
    }

    @Test
    void growthThatStartsLowInsideTheWindowDoesNot() {
        MetricSeries freshReplica = series(i -> 0.1 * LIMIT + i * 0.006 * LIMIT, 120);

        assertThat(policy.growthBeganBeforeWindow(List.of(freshReplica), LIMIT)).isFalse();
    }

    @Test
    void aHighButFlatPlateauDoesNot() {
        MetricSeries plateau = series(i -> 0.85 * LIMIT + (i % 2) * 0.01 * LIMIT, 120);

        assertThat(policy.growthBeganBeforeWindow(List.of(plateau), LIMIT)).isFalse();
    }

    @Test
    void onlyTheSegmentBeforeTheFirstRestartCounts() {
        // Starts high and flat, restarts at minute 10, then grows from low: not growth from before the window.
        MetricSeries s = series(i -> i < 10 ? 0.7 * LIMIT : 0.1 * LIMIT + (i - 10) * 0.01 * LIMIT, 100);

        assertThat(policy.growthBeganBeforeWindow(List.of(s), LIMIT)).isFalse();
        assertThat(policy.growthBeganBeforeWindow(List.of(s), null)).as("no limit, no judgement").isFalse();
    }

    private static MetricSeries series(java.util.function.IntToDoubleFunction f, int n) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new MetricPoint(FIRED.minus(Duration.ofMinutes(n - i)), i == 5 ? null : f.applyAsDouble(i)));
        }
        return new MetricSeries("WorkingSetBytes", "Maximum", "Bytes", Map.of("podName", "p"), points);
    }
}
