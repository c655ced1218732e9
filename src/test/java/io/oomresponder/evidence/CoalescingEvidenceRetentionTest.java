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
