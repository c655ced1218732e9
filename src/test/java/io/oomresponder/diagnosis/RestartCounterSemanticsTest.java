package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.ScenarioCatalog;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27 point 3: Azure's RestartCount is documented both as a running counter per replica and as
 * "the aggregate restart count over the specified time range". Restart times, and the causes that
 * rest on them (start-up kills, scheduled jobs), must come out the same whichever it is.
 */
class RestartCounterSemanticsTest {

    private final Diagnoser diagnoser = new Diagnoser();

    private static List<String> restartTimes(EvidenceBundle b) {
        ReplicaLimit limit = ReplicaLimit.of(b);
        AppTimelines app = AppTimelines.from(b, limit.bytes());
        List<String> out = new ArrayList<>();
        for (RestartEvent e : RestartEvents.merge(app, b.systemLogs(), b.consoleLogs(), limit.bytes()).all()) {
            out.add(e.replica() + "@" + e.time() + ":" + e.kind());
        }
        return out;
    }

    @Test
    void restartTimesAreTheSameUnderEitherCounterSemantics() {
        List<String> differ = new ArrayList<>();
        for (String scenario : List.of("startup/heavy", "job/periodic", "leak/classic", "peak/spike", "other/apperror",
                "other/backoff", "other/probe", "leak/churn", "scale/too-few-replicas")) {
            for (long seed = 850_000; seed < 850_006; seed++) {
                // The simulator serves either reading by seed; both are made from its running-counter form.
                EvidenceBundle counter = BundleTransforms.runningRestartCounter(ScenarioCatalog.generate(scenario, seed).truth());
                EvidenceBundle perBucket = BundleTransforms.perBucketRestartCounts(counter);
                // At PT1M, and re-aggregated to PT5M as Azure would (Maximum of the samples, Total their sum).
                for (int grain : new int[]{1, 5}) {
                    List<String> a = restartTimes(grain == 1 ? counter : BundleVariants.coarsened(counter, grain));
                    List<String> b = restartTimes(grain == 1 ? perBucket : BundleVariants.coarsened(perBucket, grain));
                    if (!a.equals(b)) {
                        differ.add(scenario + " seed " + seed + " PT" + grain + "M: counter " + a.size() + " restarts, per-bucket " + b.size());
                    }
                }
            }
        }
        assertThat(differ).isEmpty();
    }

    @Test
    void theSimulatorServesBothReadingsAcrossSeeds() {
        int perBucket = 0;
        int seeds = 40;
        for (long seed = 852_000; seed < 852_000 + seeds; seed++) {
            EvidenceBundle b = ScenarioCatalog.generate("leak/classic", seed).truth();
            boolean falls = b.series("RestartCount").stream().anyMatch(m -> RestartEvents.falls(values(m)));
            perBucket += falls ? 1 : 0;
        }
        // Half each by seed: with 40 seeds, fewer than 8 of either would be a 1-in-10^4 draw.
        assertThat(perBucket).isBetween(8, seeds - 8);
    }

    private static double[] values(io.oomresponder.evidence.MetricSeries m) {
        double[] v = new double[m.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = m.value(i);
        }
        return v;
    }

    @Test
    void startUpKillsAreFoundUnderEitherCounterSemantics() {
        for (String scenario : List.of("startup/heavy", "job/periodic")) {
            for (long seed = 851_000; seed < 851_010; seed++) {
                EvidenceBundle truth = BundleTransforms.runningRestartCounter(ScenarioCatalog.generate(scenario, seed).truth());
                Diagnosis a = diagnoser.diagnose(BundleVariants.coarsened(truth, 5));
                Diagnosis b = diagnoser.diagnose(BundleVariants.coarsened(BundleTransforms.perBucketRestartCounts(truth), 5));
                assertThat(a.causes()).as("%s seed %d", scenario, seed).isEqualTo(b.causes());
                assertThat(a.causes().get(0)).as("%s seed %d", scenario, seed).isEqualTo(Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB);
            }
        }
    }
}
