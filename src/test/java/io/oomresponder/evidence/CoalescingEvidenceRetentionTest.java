package io.oomresponder.evidence;

import io.oomresponder.intake.AlertSignal;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A long-running responder must not keep every app's last bundle: stale gathers of all apps are dropped. */
class CoalescingEvidenceRetentionTest {

    private static final Instant T0 = Instant.parse("2026-10-12T12:00:00Z");
    private static final EvidenceBundle BASE = EvidenceBundleFile.read(io.oomresponder.SharedFiles.example("peak-spike.json"));

    @Test
    void gathersOfAppsThatStopAlertingAreReleasedOnceStale() {
        MutableClock clock = new MutableClock(T0);
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(CoalescingEvidenceRetentionTest::withAlert, clock);
        for (int i = 0; i < 200; i++) {
            source.gather(alert("app-" + i, "a" + i, T0));
        }
        assertThat(source.held()).isEqualTo(200);

        clock.advance(CoalescingEvidenceSource.DEFAULT_REUSE_FOR.plus(Duration.ofSeconds(1)));
        source.gather(alert("another-app", "b", clock.instant()));

        assertThat(source.held()).isEqualTo(1);
        assertThat(source.gathers()).isEqualTo(201);
    }

    @Test
    void heldEvidenceStaysUnderItsByteBoundOldestGathersFirst() {
        MutableClock clock = new MutableClock(T0);
        long one = CoalescingEvidenceSource.approximateBytes(withAlert(alert("x", "x", T0)));
        assertThat(one).isGreaterThan(10_000);
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(CoalescingEvidenceRetentionTest::withAlert, clock,
                CoalescingEvidenceSource.DEFAULT_TOLERANCE, CoalescingEvidenceSource.DEFAULT_REUSE_FOR, 3 * one + one / 2);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            source.gather(alert("app-" + i, "a" + i, T0));
        }

        assertThat(source.held()).isEqualTo(3);
        assertThat(source.heldBytes()).isEqualTo(3 * one).isLessThanOrEqualTo(3 * one + one / 2);
        // The newest are kept and shared; the oldest went and gather again.
        source.gather(alert("app-9", "again-9", T0));
        assertThat(source.gathers()).isEqualTo(10);
        source.gather(alert("app-0", "again-0", T0));
        assertThat(source.gathers()).isEqualTo(11);
    }

    @Test
    void aGatherLargerThanTheWholeBoundIsServedButNotHeld() {
        CoalescingEvidenceSource source = new CoalescingEvidenceSource(CoalescingEvidenceRetentionTest::withAlert, new MutableClock(T0),
                CoalescingEvidenceSource.DEFAULT_TOLERANCE, CoalescingEvidenceSource.DEFAULT_REUSE_FOR, 1_000);

        EvidenceBundle b = source.gather(alert("big", "a", T0));

        assertThat(b.metrics()).isNotEmpty();
        assertThat(source.held()).isZero();
        assertThat(source.heldBytes()).isZero();
    }

    private static AlertSignal alert(String app, String id, Instant firedAt) {
        return new AlertSignal(id, "rule", AlertSignal.Signal.RestartCount, AlertSignal.Condition.Fired, firedAt, null,
                "/subscriptions/s/resourceGroups/g/providers/Microsoft.App/containerApps/" + app, null, null, null, null, null,
                Map.of(), null, null);
    }

    private static EvidenceBundle withAlert(AlertSignal alert) {
        return new EvidenceBundle(1, alert, BASE.window(), BASE.app(), BASE.replicas(), BASE.metrics(), BASE.systemLogs(),
                BASE.consoleLogs(), BASE.gaps());
    }
}
