package io.oomresponder.diagnosis;

import io.oomresponder.SharedFiles;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.oomresponder.diagnosis.Diagnosis.Cause.APPLICATION_LEAK;
import static io.oomresponder.diagnosis.Diagnosis.Cause.NON_MEMORY_CRASH;
import static io.oomresponder.diagnosis.Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT;
import static io.oomresponder.diagnosis.Diagnosis.Cause.STARTUP_OR_BACKGROUND_JOB;
import static io.oomresponder.diagnosis.Diagnosis.Cause.TOO_FEW_REPLICAS;
import static io.oomresponder.diagnosis.Diagnosis.Cause.UNBOUNDED_BUFFERING;
import static io.oomresponder.diagnosis.Diagnosis.Verdict.INSUFFICIENT_EVIDENCE;
import static io.oomresponder.diagnosis.Diagnosis.Verdict.LEAK_SUSPECTED;
import static io.oomresponder.diagnosis.Diagnosis.Verdict.OTHER_CRASH_CAUSE;
import static io.oomresponder.diagnosis.Diagnosis.Verdict.PEAK_DEMAND;
import static org.assertj.core.api.Assertions.assertThat;

class DiagnoserTest {

    private final Diagnoser diagnoser = new Diagnoser();

    private static EvidenceBundle example(String name) {
        return EvidenceBundleFile.read(SharedFiles.example(name));
    }

    @ParameterizedTest
    @CsvSource({"leak-classic.json,LEAK_SUSPECTED", "peak-spike.json,PEAK_DEMAND", "other-apperror.json,OTHER_CRASH_CAUSE"})
    void sharedExamplesGetTheirLabelledVerdict(String file, Diagnosis.Verdict expected) {
        String label = SharedFiles.readJson(SharedFiles.example("labels.json")).path(file).path("verdict").asText();
        assertThat(label).isEqualTo(expected.name());

        Diagnosis d = diagnoser.diagnose(example(file));

        assertThat(d.verdict()).isEqualTo(expected);
    }

    @Test
    void leakClassicWalksTheLeakPathWithItsNumbers() {
        Diagnosis d = diagnoser.diagnose(example("leak-classic.json"));

        assertThat(d.path()).containsExactly("A", "B", "C", "E", "F", "G", "I");
        assertThat(d.causes().get(0)).isEqualTo(APPLICATION_LEAK);
        assertThat(d.figures().regrowthsAfterRestart()).isGreaterThan(3);
        assertThat(d.figures().growthBytesPerHour()).isPositive();
        assertThat(d.figures().projectedOomEarliest()).isNotNull();
        assertThat(d.steps()).extracting(DecisionStep::node).containsExactly("A", "B", "C", "E", "F", "G");
        assertThat(d.steps().get(4).numbers()).containsKey("medianMannKendallZ");
        assertThat(d.findings()).anyMatch(f -> f.contains("no OOMKilled log line"));
        assertThat(d.recommendations().get(0).kind()).isEqualTo(Recommendation.Kind.NOW);
        assertThat(d.recommendations().get(0).command()).startsWith("az containerapp update --name api-gateway --resource-group rg-apps-eus2 --cpu ");
        assertThat(d.recommendations()).anyMatch(r -> r.kind() == Recommendation.Kind.FIX && r.title().contains("leak"));
    }

    @Test
    void appErrorIsANonMemoryCrashWithItsExitCodes() {
        Diagnosis d = diagnoser.diagnose(example("other-apperror.json"));

        assertThat(d.path()).containsExactly("A", "B", "C", "D");
        assertThat(d.causes()).containsExactly(NON_MEMORY_CRASH);
        assertThat(d.figures().nonOomExits()).isEqualTo(2);
        assertThat(d.steps().get(3).answer()).contains("exit 1");
    }

    @Test
    void peakSpikeFollowsTraffic() {
        Diagnosis d = diagnoser.diagnose(example("peak-spike.json"));

        assertThat(d.path()).containsExactly("A", "B", "C", "E", "F", "H", "J");
        assertThat(d.causes().get(0)).isEqualTo(PEAK_DEMAND_OVER_LIMIT);
        assertThat(d.figures().trafficCorrelation()).isGreaterThan(0.5);
    }

    @Test
    void leakIsSuspectedWhenMemoryRegrowsAfterEachRestart() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.leak().bundle());

        assertThat(d.verdict()).isEqualTo(LEAK_SUSPECTED);
        assertThat(d.figures().regrowthsAfterRestart()).isPositive();
        assertThat(d.confidence()).isGreaterThan(0.7);
    }

    @Test
    void leakUnderATrafficWaveIsStillALeak() {
        assertThat(diagnoser.diagnose(SyntheticIncidents.leakUnderTrafficWave().bundle()).verdict()).isEqualTo(LEAK_SUSPECTED);
    }

    @Test
    void growthThatTracksQueuedWorkIsUnboundedBuffering() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.unboundedBuffer().bundle());

        assertThat(d.verdict()).isEqualTo(LEAK_SUSPECTED);
        assertThat(d.causes().get(0)).isEqualTo(UNBOUNDED_BUFFERING);
    }

    @Test
    void trafficSpikeIsPeakDemand() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.peakSpike().bundle());

        assertThat(d.verdict()).isEqualTo(PEAK_DEMAND);
        assertThat(d.causes().get(0)).isEqualTo(PEAK_DEMAND_OVER_LIMIT);
    }

    @Test
    void trafficRampIsPeakDemandNotALeak() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.peakRamp().bundle());

        assertThat(d.verdict()).isEqualTo(PEAK_DEMAND);
    }

    @Test
    void trafficPlateauOverTheLimitIsPeakDemand() {
        assertThat(diagnoser.diagnose(SyntheticIncidents.peakPlateau().bundle()).verdict()).isEqualTo(PEAK_DEMAND);
    }

    @Test
    void replicasPinnedAtMaximumWithRisingLoadAreTooFewReplicas() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.tooFewReplicas().bundle());

        assertThat(d.verdict()).isEqualTo(PEAK_DEMAND);
        assertThat(d.causes().get(0)).isEqualTo(TOO_FEW_REPLICAS);
        assertThat(d.recommendations().get(0).command()).contains("--max-replicas 6");
    }

    @Test
    void hourlyJobSpikesAreABackgroundJob() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.periodicJob().bundle());

        assertThat(d.verdict()).isEqualTo(PEAK_DEMAND);
        assertThat(d.causes().get(0)).isEqualTo(STARTUP_OR_BACKGROUND_JOB);
        assertThat(d.steps().get(d.steps().size() - 1).answer()).contains("every 60 min");
    }

    @Test
    void killsRightAfterStartAreAStartupPeak() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.heavyStartup().bundle());

        assertThat(d.verdict()).isEqualTo(PEAK_DEMAND);
        assertThat(d.causes().get(0)).isEqualTo(STARTUP_OR_BACKGROUND_JOB);
    }

    @ParameterizedTest
    @CsvSource({"appError", "exit137WithoutOom", "probeFailures"})
    void crashesWithLowMemoryAreNotAMemoryProblem(String family) throws Exception {
        SyntheticIncident s = (SyntheticIncident) SyntheticIncidents.class.getDeclaredMethod(family).invoke(null);

        Diagnosis d = diagnoser.diagnose(s.bundle());

        assertThat(d.verdict()).isEqualTo(OTHER_CRASH_CAUSE);
        assertThat(d.causes()).containsExactly(NON_MEMORY_CRASH);
        assertThat(d.figures().oomKills()).isZero();
    }

    @Test
    void healthyAppIsNotAMemoryIncidentAndHasNoCause() {
        Diagnosis d = diagnoser.diagnose(SyntheticIncidents.healthy().bundle());

        assertThat(d.verdict()).isEqualTo(OTHER_CRASH_CAUSE);
        assertThat(d.causes()).isEmpty();
        assertThat(d.figures().restarts()).isZero();
    }

    @Test
    void briefBlipNearTheLimitWithoutRestartsIsNotAMemoryIncident() {
        SyntheticIncident s = SyntheticIncidents.healthy();
        s.memory = (r, t, age, q) -> (t >= 200 && t < 204 ? 0.95 : 0.45) * SyntheticIncident.GIB;

        Diagnosis d = diagnoser.diagnose(s.bundle());

        assertThat(d.verdict()).isEqualTo(OTHER_CRASH_CAUSE);
        assertThat(d.figures().peakToLimit()).isGreaterThan(0.9);
    }

    @Test
    void missingMetricsGiveInsufficientEvidence() {
        EvidenceBundle b = example("leak-classic.json");
        EvidenceBundle noMetrics = new EvidenceBundle(1, b.alert(), b.window(), b.app(), b.replicas(), List.of(), b.systemLogs(),
                b.consoleLogs(), List.of(new EvidenceGap("metrics", "403 Forbidden")));

        Diagnosis d = diagnoser.diagnose(noMetrics);

        assertThat(d.verdict()).isEqualTo(INSUFFICIENT_EVIDENCE);
        assertThat(d.path()).containsExactly("A", "B");
        // The gap is the note's to show, once; the first action names it.
        assertThat(d.findings()).noneMatch(f -> f.contains("403 Forbidden"));
        assertThat(d.recommendations().get(0).title()).isEqualTo("Grant the responder read access to the app's resource group");
        assertThat(d.recommendations().get(0).detail()).contains("metrics: 403 AuthorizationFailed");
    }

    @Test
    void sameBundleGivesTheSameDiagnosis() throws Exception {
        EvidenceBundle b = example("peak-spike.json");

        String first = Json.mapper().writeValueAsString(diagnoser.diagnose(b));
        String second = Json.mapper().writeValueAsString(new Diagnoser().diagnose(b));

        assertThat(second).isEqualTo(first);
    }

    // Robustness: the same incidents, degraded the ways real evidence is.

    @ParameterizedTest
    @CsvSource({"leak-classic.json,LEAK_SUSPECTED", "peak-spike.json,PEAK_DEMAND", "other-apperror.json,OTHER_CRASH_CAUSE"})
    void missingSamplesDoNotChangeTheVerdict(String file, Diagnosis.Verdict expected) {
        assertThat(diagnoser.diagnose(BundleVariants.withNulls(example(file), 7)).verdict()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"leak-classic.json,LEAK_SUSPECTED", "peak-spike.json,PEAK_DEMAND", "other-apperror.json,OTHER_CRASH_CAUSE"})
    void fiveMinuteGrainGivesTheSameVerdict(String file, Diagnosis.Verdict expected) {
        assertThat(diagnoser.diagnose(BundleVariants.coarsened(example(file), 5)).verdict()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"leak-classic.json,LEAK_SUSPECTED", "peak-spike.json,PEAK_DEMAND", "other-apperror.json,OTHER_CRASH_CAUSE"})
    void onlyAverageWorkingSetGivesTheSameVerdict(String file, Diagnosis.Verdict expected) {
        assertThat(diagnoser.diagnose(BundleVariants.onlyAverage(example(file))).verdict()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"leak-classic.json,LEAK_SUSPECTED", "peak-spike.json,PEAK_DEMAND", "other-apperror.json,OTHER_CRASH_CAUSE"})
    void noRequestsMetricGivesTheSameVerdict(String file, Diagnosis.Verdict expected) {
        Diagnosis d = diagnoser.diagnose(BundleVariants.without(example(file), "Requests"));

        assertThat(d.verdict()).isEqualTo(expected);
        assertThat(d.figures().trafficCorrelation()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"1", "30"})
    void oneOrThirtyReplicasAreHandled(int replicas) {
        List<Supplier<SyntheticIncident>> families = List.of(SyntheticIncidents::leak, SyntheticIncidents::peakSpike,
                SyntheticIncidents::appError);
        List<Diagnosis.Verdict> expected = List.of(LEAK_SUSPECTED, PEAK_DEMAND, OTHER_CRASH_CAUSE);
        for (int i = 0; i < families.size(); i++) {
            SyntheticIncident s = families.get(i).get();
            s.replicas = replicas;
            s.maxReplicas = 40;
            assertThat(diagnoser.diagnose(s.bundle()).verdict()).as("family %d with %d replicas", i, replicas).isEqualTo(expected.get(i));
        }
    }

    @Test
    void leakWithoutLogsOrRestartMetricIsStillALeak() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.oomLogs = false;
        EvidenceBundle b = BundleVariants.without(s.bundle(), "RestartCount");

        Diagnosis d = diagnoser.diagnose(b);

        assertThat(d.verdict()).isEqualTo(LEAK_SUSPECTED);
        assertThat(d.figures().restarts()).isPositive();
    }

    @Test
    void aLeakIsNeverCalledAnotherCrashCauseWhateverIsMissing() {
        List<EvidenceBundle> variants = new ArrayList<>();
        EvidenceBundle leak = example("leak-classic.json");
        variants.add(leak);
        variants.add(BundleVariants.withNulls(leak, 3));
        variants.add(BundleVariants.coarsened(leak, 5));
        variants.add(BundleVariants.onlyAverage(leak));
        variants.add(BundleVariants.without(leak, "Requests"));
        variants.add(BundleVariants.without(leak, "RestartCount"));
        variants.add(BundleVariants.without(BundleVariants.coarsened(leak, 5), "RestartCount"));
        SyntheticIncident slow = SyntheticIncidents.leak();
        slow.memory = (r, t, age, q) -> 0.25 * SyntheticIncident.GIB + age * 0.0025 * SyntheticIncident.GIB;
        variants.add(slow.bundle());

        for (EvidenceBundle b : variants) {
            assertThat(diagnoser.diagnose(b).verdict()).isNotEqualTo(OTHER_CRASH_CAUSE);
        }
    }

    @Test
    void windowOfAWeekIsDiagnosed() {
        SyntheticIncident s = SyntheticIncidents.leak();
        s.minutes = (int) Duration.ofDays(7).toMinutes();
        s.replicas = 5;

        assertThat(diagnoser.diagnose(s.bundle()).verdict()).isEqualTo(LEAK_SUSPECTED);
    }
}
