package io.oomresponder.bench;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Recommendation;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The advice of every scenario keeps the rules of {@link AdviceChecks}, and the checks catch advice that breaks them. */
class AdviceChecksTest {

    private final Diagnoser diagnoser = new Diagnoser();

    @Test
    void everyScenarioAndSeedGetsAdviceThatFollowsItsCause() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Scenario s : ScenarioCatalog.scenarios()) {
            for (long seed : new long[]{3, 17, 101}) {
                EvidenceBundle b = ScenarioCatalog.generate(s, seed, ScenarioOverrides.NONE).truth();
                List<String> v = AdviceChecks.violations(b, diagnoser.diagnose(b));
                checked++;
                if (!v.isEmpty()) {
                    broken.add(s.scenarioName() + " seed " + seed + ": " + v);
                }
            }
        }
        assertThat(broken).as("advice breaking a rule, of " + checked).isEmpty();
    }

    @Test
    void scaleOutForALeakIsCaught() {
        Diagnosis leak = diagnosed("leak/classic");
        List<Recommendation> recs = new ArrayList<>(leak.recommendations());
        recs.add(0, new Recommendation(Recommendation.Kind.NOW, "Scale out: min 2, max 20 replicas", "more replicas",
                "az containerapp update --name a --resource-group g --min-replicas 2 --max-replicas 20"));

        assertThat(AdviceChecks.violations(bundle("leak/classic"), with(leak, recs)))
                .anyMatch(v -> v.startsWith("scale-out advised"));
    }

    @Test
    void theOldLeakAdviceFixFirstAndRestartCountAlertIsCaught() {
        Diagnosis leak = diagnosed("leak/classic");
        List<Recommendation> old = List.of(
                new Recommendation(Recommendation.Kind.FIX, "Find and fix the leak first", "heap snapshots", null),
                new Recommendation(Recommendation.Kind.NOW, "Raise the memory limit to 1.5Gi (mitigation)", "buys time",
                        "az containerapp update --name a --resource-group g --cpu 0.75 --memory 1.5Gi"),
                new Recommendation(Recommendation.Kind.PREVENT, "Alert before the next OOM", "keep the RestartCount alert", null));

        List<String> v = AdviceChecks.violations(bundle("leak/classic"), with(leak, old));

        assertThat(v).anyMatch(x -> x.startsWith("a leak's first action is not a 'now' action"));
        assertThat(v).anyMatch(x -> x.startsWith("a projected leak whose memory raise does not say"));
        assertThat(v).anyMatch(x -> x.startsWith("a leak without a restart"));
        assertThat(v).anyMatch(x -> x.startsWith("advises a RestartCount metric alert"));
        assertThat(v).anyMatch(x -> x.startsWith("actions out of order"));
    }

    @Test
    void memoryAdviceForACrashThatIsNotAMemoryKillIsCaught() {
        Diagnosis crash = diagnosed("other/apperror");
        assertThat(crash.causes()).first().isEqualTo(Diagnosis.Cause.NON_MEMORY_CRASH);
        List<Recommendation> recs = List.of(
                new Recommendation(Recommendation.Kind.NOW, "Raise the memory limit to 2Gi (mitigation)", "room",
                        "az containerapp update --name a --resource-group g --cpu 1 --memory 2Gi"),
                new Recommendation(Recommendation.Kind.PREVENT, "Alert before the next OOM", "working set alert", null));

        List<String> v = AdviceChecks.violations(bundle("other/apperror"), with(crash, recs));

        assertThat(v).anyMatch(x -> x.startsWith("a crash that is not a memory kill gets memory advice first"));
        assertThat(v).anyMatch(x -> x.startsWith("a crash that is not a memory kill gets 'alert before the next OOM'"));
    }

    @Test
    void aSignInFailureWhoseFirstActionIsAboutARoleIsCaught() {
        EvidenceBundle b = bundle("nodata/metrics-missing");
        EvidenceBundle signIn = new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), b.app(), List.of(), List.of(), List.of(),
                List.of(), List.of(new EvidenceGap("metrics", EvidenceGap.SIGN_IN_FAILED + ": no credential available; run `az login`")));
        Diagnosis d = diagnoser.diagnose(signIn);
        List<Recommendation> role = List.of(new Recommendation(Recommendation.Kind.NOW, "Grant the responder read access to the app's resource group",
                "403", null));

        assertThat(AdviceChecks.violations(signIn, with(d, role))).anyMatch(x -> x.startsWith("a sign-in failure"));
    }

    private EvidenceBundle bundle(String scenario) {
        return ScenarioCatalog.generate(scenario, 5).truth();
    }

    private Diagnosis diagnosed(String scenario) {
        return diagnoser.diagnose(bundle(scenario));
    }

    private static Diagnosis with(Diagnosis d, List<Recommendation> recs) {
        return new Diagnosis(d.verdict(), d.path(), d.confidence(), d.causes(), d.figures(), d.steps(), recs, d.findings());
    }
}
