package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import org.junit.jupiter.api.Test;

import static io.oomresponder.diagnosis.SyntheticIncident.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 2: a leak while traffic rises through the window. Inside a segment traffic and time
 * rise together, so a segment cannot tell them apart (memory also carries a per-request share, so
 * it follows traffic's ups and downs); the resets across restarts can: after each OOM kill memory
 * falls back to its baseline although traffic stays high, then climbs again.
 */
class LeakUnderRisingTrafficTest {

    private final Diagnoser diagnoser = new Diagnoser();

    /** Memory: baseline + a per-request share + a leak that grows with process age; traffic rises all window. */
    static SyntheticIncident leakUnderRisingTraffic(long seed) {
        SyntheticIncident s = SyntheticIncident.of();
        s.seed = seed;
        s.minutes = 600;
        s.traffic = (r, t) -> 200 + 400.0 * t / 600 + 70 * Math.sin(t / 9.0 + r);
        s.memory = (r, t, age, q) -> 0.15 * GIB + 0.40 * GIB * q / 600 + 0.0022 * GIB * age;
        return s;
    }

    @Test
    void memoryThatResetsAfterEachRestartWhileTrafficStaysHighIsALeak() {
        for (long seed = 1; seed <= 5; seed++) {
            EvidenceBundle b = leakUnderRisingTraffic(seed).bundle();
            Diagnosis d = diagnoser.diagnose(b);
            DecisionStep f = d.steps().stream().filter(s -> s.node().equals("F")).findFirst().orElseThrow();
            assertThat(d.verdict()).as("seed %d: %s", seed, f.answer()).isEqualTo(Diagnosis.Verdict.LEAK_SUSPECTED);
            assertThat(d.causes().get(0)).isEqualTo(Diagnosis.Cause.APPLICATION_LEAK);
            assertThat((Integer) f.numbers().get("resetsWhileTrafficHeld")).isGreaterThanOrEqualTo(3);
            assertThat(f.answer()).contains("stayed at its baseline");
        }
    }

    @Test
    void memoryThatRefillsAtOnceAfterEachKillUnderRisingTrafficIsDemand() {
        for (long seed = 1; seed <= 5; seed++) {
            SyntheticIncident s = leakUnderRisingTraffic(seed);
            // The same traffic, no leak: memory is the traffic's, so a restarted replica is back at once.
            s.memory = (r, t, age, q) -> 0.25 * GIB + 0.85 * GIB * q / 600 * Math.min(1, (age + 1) / 3.0);
            Diagnosis d = diagnoser.diagnose(s.bundle());
            DecisionStep f = d.steps().stream().filter(x -> x.node().equals("F")).findFirst().orElseThrow();
            assertThat(d.verdict()).as("seed %d: %s", seed, f.answer()).isEqualTo(Diagnosis.Verdict.PEAK_DEMAND);
            assertThat((Integer) f.numbers().get("resetsWhileTrafficHeld")).isZero();
        }
    }
}
