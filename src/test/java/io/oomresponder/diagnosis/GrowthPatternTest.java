package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Segments between restarts, their trends, and the reset-then-regrowth pattern. */
class GrowthPatternTest {

    static List<List<MemorySegment>> segments(EvidenceBundle b) {
        AppTimelines app = AppTimelines.from(b);
        RestartEvents.Result r = RestartEvents.merge(app, b.systemLogs(), b.consoleLogs(), b.app().memoryLimitBytes());
        List<List<MemorySegment>> out = new ArrayList<>();
        for (ReplicaTimeline t : app.replicas()) {
            out.add(MemorySegments.of(t, r.byReplica().get(t.name()), app.grid(), b.app().memoryLimitBytes()));
        }
        return out;
    }

    @Test
    void segmentsSplitAtEachRestartAndResetLow() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.replicas = 1;
        EvidenceBundle b = s.bundle();

        List<MemorySegment> segs = segments(b).get(0);

        // ARM counts restarts since creation; the window holds those after the counter's start value.
        assertThat(segs).hasSize(b.replicas().get(0).totalRestarts() - s.restartsBefore + 1);
        assertThat(segs.subList(1, segs.size())).allMatch(seg -> seg.startsAfterRestart() && seg.startLevelToLimit() < 0.4);
        assertThat(segs.subList(0, segs.size() - 1)).allMatch(seg -> seg.endsInRestart() && seg.endLevelToLimit() > 0.9);
    }

    @Test
    void leakRegrowsAfterEveryRestartWithTime() {
        GrowthPattern g = GrowthPattern.of(segments(SyntheticIncidents.leak().bundle()), DiagnosisThresholds.DEFAULTS);

        assertThat(g.leakLike()).isGreaterThan(5);
        assertThat(g.trafficDriven()).isZero();
        assertThat(g.regrowths()).isGreaterThan(5);
        assertThat(g.medianZ()).isGreaterThan(GrowthPattern.Z_RISING);
        assertThat(g.growthBytesPerHour()).isBetween(0.4 * SyntheticIncident.GIB, 0.7 * SyntheticIncident.GIB);
    }

    @Test
    void growthThatFollowsRisingTrafficIsTrafficDriven() {
        SyntheticIncident s = SyntheticIncidents.peakRamp();
        GrowthPattern g = GrowthPattern.of(segments(s.bundle()), DiagnosisThresholds.DEFAULTS);

        assertThat(g.trafficDriven()).isGreaterThan(0);
        assertThat(g.leakLike()).isLessThan(g.trafficDriven());
        assertThat(g.regrowths()).isZero();
    }

    @Test
    void flatMemoryDoesNotGrow() {
        GrowthPattern g = GrowthPattern.of(segments(SyntheticIncidents.healthy().bundle()), DiagnosisThresholds.DEFAULTS);

        assertThat(g.growing()).isZero();
        assertThat(g.segmentsMeasured()).isEqualTo(3);
    }

    @Test
    void refillWithinMinutesIsNotGrowth() {
        GrowthPattern g = GrowthPattern.of(segments(SyntheticIncidents.peakSpike().bundle()), DiagnosisThresholds.DEFAULTS);

        assertThat(g.leakLike()).isZero();
    }
}
