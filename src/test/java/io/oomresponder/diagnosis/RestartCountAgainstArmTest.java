package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.Replica;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A replica's RestartCount is compared with ARM's restartCount only when the series show they are
 * running counters: Azure documents per-bucket counts too (docs/azure-contract.md), and a per-bucket
 * series flat at zero says nothing about the restarts since creation ARM counts.
 */
class RestartCountAgainstArmTest {

    private final Diagnoser diagnoser = new Diagnoser();

    private static EvidenceBundle withArmRestartsRaisedBy(EvidenceBundle b, int more) {
        List<Replica> replicas = b.replicas().stream().map(r -> new Replica(r.name(), r.revision(), r.createdAt(), r.runningState(),
                r.containers().stream().map(c -> new Replica.Container(c.name(), c.restartCount() + more, c.ready())).toList())).toList();
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), b.app(), replicas, b.metrics(), b.systemLogs(),
                b.consoleLogs(), b.gaps());
    }

    private List<String> counterFindings(EvidenceBundle b) {
        return diagnoser.diagnose(b).findings().stream().filter(f -> f.contains("RestartCount counter ends at")).toList();
    }

    @Test
    void aCounterEndingBelowArmIsStated() {
        SyntheticIncident s = SyntheticIncidents.healthy();
        assertThat(counterFindings(s.bundle())).isEmpty();
        assertThat(counterFindings(withArmRestartsRaisedBy(s.bundle(), 3))).hasSize(s.replicas);
    }

    @Test
    void perBucketCountsFlatAtZeroAreNotReadAsACounterAtZero() {
        // Each replica restarted twice before the window and not in it: per bucket, every sample is 0.
        SyntheticIncident s = SyntheticIncidents.healthy();
        s.cumulativeRestartCount = false;
        assertThat(s.restartsBefore).isPositive();
        assertThat(counterFindings(s.bundle())).isEmpty();
    }

    @Test
    void perBucketCountsOfALeakAreNotComparedWithArm() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.cumulativeRestartCount = false;
        assertThat(counterFindings(withArmRestartsRaisedBy(s.bundle(), 3))).isEmpty();
    }
}
