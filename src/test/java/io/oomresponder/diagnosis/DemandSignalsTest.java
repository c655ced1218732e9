package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic relation, start-up spikes, periodic spikes and scale pressure. */
class DemandSignalsTest {

    private record Parts(AppTimelines app, RestartEvents.Result restarts, long limit) {
    }

    private static Parts parts(SyntheticIncident s) {
        EvidenceBundle b = s.bundle();
        AppTimelines app = AppTimelines.from(b);
        return new Parts(app, RestartEvents.merge(app, b.systemLogs(), b.consoleLogs(), b.app().memoryLimitBytes()),
                b.app().memoryLimitBytes());
    }

    @Test
    void memoryThatFollowsTrafficCorrelatesAndFallsBack() {
        Parts p = parts(SyntheticIncidents.peakSpike());

        TrafficRelation t = TrafficRelation.of(p.app(), p.restarts());

        assertThat(t.medianCorrelation()).isGreaterThan(0.5);
    }

    @Test
    void leakDoesNotCorrelateWithTraffic() {
        Parts p = parts(SyntheticIncidents.leakUnderTrafficWave());

        assertThat(Math.abs(TrafficRelation.of(p.app(), p.restarts()).medianCorrelation())).isLessThan(0.3);
    }

    @Test
    void noRequestsNoTrafficRelation() {
        SyntheticIncident s = SyntheticIncidents.peakSpike();
        s.requests = false;
        Parts p = parts(s);

        assertThat(TrafficRelation.of(p.app(), p.restarts())).isEqualTo(TrafficRelation.NONE);
    }

    @Test
    void killsJustAfterStartAreStartupKills() {
        Parts p = parts(SyntheticIncidents.heavyStartup());

        StartupSpikes s = StartupSpikes.of(p.app(), p.restarts());

        assertThat(s.memoryKills()).isPositive();
        assertThat(s.share()).isGreaterThan(0.5);
        assertThat(s.medianMinutesFromStart()).isLessThanOrEqualTo(StartupSpikes.STARTUP_WINDOW_MINUTES);
    }

    @Test
    void killsInATrafficSurgeAreNotStartupKills() {
        Parts p = parts(SyntheticIncidents.peakSpike());

        assertThat(StartupSpikes.of(p.app(), p.restarts()).share()).isLessThan(0.5);
    }

    @Test
    void hourlyJobIsPeriodic() {
        Parts p = parts(SyntheticIncidents.periodicJob());

        PeriodicSpikes s = PeriodicSpikes.of(p.app(), p.restarts(), p.limit(), DiagnosisThresholds.DEFAULTS);

        assertThat(s.periodic(DiagnosisThresholds.DEFAULTS)).isTrue();
        assertThat(s.periodMinutes()).isEqualTo(60.0);
    }

    @Test
    void leakSawtoothIsNotAShortPeriodicSpike() {
        Parts p = parts(SyntheticIncidents.leak());

        assertThat(PeriodicSpikes.of(p.app(), p.restarts(), p.limit(), DiagnosisThresholds.DEFAULTS).periodic(DiagnosisThresholds.DEFAULTS)).isFalse();
    }

    @Test
    void pinnedAtMaxReplicasWithRisingLoadIsScalePressure() {
        SyntheticIncident s = SyntheticIncidents.tooFewReplicas();
        Parts p = parts(s);

        ScalePressure sp = ScalePressure.of(p.app(), s.maxReplicas);

        assertThat(sp.pinnedShare()).isEqualTo(1.0);
        assertThat(sp.pinnedWithRisingLoad(DiagnosisThresholds.DEFAULTS)).isTrue();
    }

    @Test
    void roomToScaleIsNoScalePressure() {
        SyntheticIncident s = SyntheticIncidents.peakRamp();
        Parts p = parts(s);

        assertThat(ScalePressure.of(p.app(), s.maxReplicas).pinnedWithRisingLoad(DiagnosisThresholds.DEFAULTS)).isFalse();
    }

    @Test
    void scalePressureDecidesWithTheThresholdsItIsGiven() {
        ScalePressure sp = new ScalePressure(5, 0.55, 0.6, 0.3);
        DiagnosisThresholds d = DiagnosisThresholds.DEFAULTS;

        assertThat(sp.pinned(d)).isTrue();
        assertThat(sp.pinnedWithRisingLoad(d)).isTrue();
        assertThat(sp.pinned(d.with("minPinnedShare", 0.6))).isFalse();
        assertThat(sp.pinnedWithRisingLoad(d.with("minLoadTrendRho", 0.7))).isFalse();
        assertThat(sp.pinnedWithRisingLoad(d.with("minLoadRise", 0.4))).isFalse();
    }
}
