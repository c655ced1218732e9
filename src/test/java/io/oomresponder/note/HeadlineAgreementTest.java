package io.oomresponder.note;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.AppConfig;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceGap;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headline, the Why line, the facts and the first action of a note come from one decision and
 * agree, over every scenario and several seeds (early warnings included), and over notes whose
 * evidence never arrived (a sign-in failure, a missing role). No figure is rounded across the
 * threshold it is compared with, anywhere in the note.
 */
class HeadlineAgreementTest {

    private static final long[] SEEDS = {5, 11, 23};
    /** "0.50 < 0.5", "79% (≥ 80%)", "ρ 0.62 ≥ 0.5": a figure, an operator and the threshold. */
    private static final Pattern COMPARISON = Pattern.compile(
            "(-?\\d+(?:\\.\\d+)?)(%?)(?: of the limit)?\\s*\\(?(<|≥|>|≤|below)\\s*(-?\\d+(?:\\.\\d+)?)(%?)");
    private static final String SIGN_IN = "could not sign in to Azure: no credential available (DefaultAzureCredential found no "
            + "environment credential); run `az login`, or set AZURE_CLIENT_ID";

    private final Diagnoser diagnoser = new Diagnoser();

    @Test
    void headlineWhyFactsAndFirstActionAgreeInEveryScenarioAndSeed() {
        SoftAssertions soft = new SoftAssertions();
        int notes = 0;
        for (Scenario scenario : ScenarioCatalog.scenarios()) {
            for (long seed : SEEDS) {
                EvidenceBundle b = ScenarioCatalog.generate(scenario, seed, ScenarioOverrides.NONE).truth();
                check(soft, scenario.scenarioName() + " seed " + seed, b);
                notes++;
            }
        }
        soft.assertAll();
        assertThat(notes).isEqualTo(ScenarioCatalog.scenarios().size() * SEEDS.length);
    }

    @Test
    void withoutAzureTheNoteSaysUnknownNeverZeroAndNamesTheFailure() {
        SoftAssertions soft = new SoftAssertions();
        for (String scenario : List.of("leak/classic", "early/daily-peak", "other/apperror")) {
            EvidenceBundle b = ScenarioCatalog.generate(scenario, 7).truth();
            EvidenceBundle signIn = nothingGathered(b, List.of(new EvidenceGap("arm", SIGN_IN), new EvidenceGap("metrics", SIGN_IN),
                    new EvidenceGap("logs", SIGN_IN)));
            NoteContent n = check(soft, scenario + " (sign-in failed)", signIn);
            Map<String, String> facts = facts(n);
            soft.assertThat(facts.get("Restarts")).as(scenario + ": restarts").startsWith("unknown").doesNotContain("0 restarts");
            soft.assertThat(n.actions().get(0).title()).as(scenario + ": first action").isEqualTo("Sign the responder in to Azure");
            soft.assertThat(n.actions()).as(scenario + ": no role advice on a sign-in failure")
                    .noneMatch(a -> a.detail() != null && a.detail().contains("Monitoring Reader"));
            soft.assertThat(n.steps().get(0).answer()).as(scenario + ": step A").startsWith("Unknown").doesNotContain("ARM counts 0");
            String text = TextRenderer.render(n);
            soft.assertThat(count(text, "no credential available")).as(scenario + ": each gap once").isEqualTo(3);
            soft.assertThat(facts.get(IncidentLines.USER_IMPACT)).as(scenario + ": impact").startsWith("not measured");
            soft.assertThat(facts.get(IncidentLines.STILL_HAPPENING)).as(scenario + ": still happening").startsWith("Unknown");

            EvidenceBundle denied = nothingGathered(b, List.of(new EvidenceGap("metrics",
                    "HTTP 403 AuthorizationFailed: the client does not have authorization", "AuthorizationFailed")));
            NoteContent d = check(soft, scenario + " (403)", denied);
            soft.assertThat(d.actions().get(0).title()).as(scenario + ": 403 first action").contains("read access");
        }
        soft.assertAll();
    }

    @Test
    void theComparisonCheckCatchesAFigureRoundedAcrossItsThreshold() {
        assertThat(brokenComparisons("Memory does not follow traffic: Spearman ρ 0.50 < 0.5.")).hasSize(1);
        assertThat(brokenComparisons("its median level is 80% of the limit (below 80%)")).hasSize(1);
        assertThat(brokenComparisons("Spearman ρ 0.4996 < 0.5; median level 79.6% (below 80%)")).isEmpty();
    }

    private NoteContent check(SoftAssertions soft, String name, EvidenceBundle bundle) {
        Diagnosis d = diagnoser.diagnose(bundle);
        NoteContent n = NoteContent.of(bundle, d, NoteContext.newIncident());
        Map<String, String> facts = facts(n);
        NoteContent.Action first = n.actions().isEmpty() ? null : n.actions().get(0);
        soft.assertThat(first).as(name + ": a first action").isNotNull();
        if (first == null) {
            return n;
        }
        String why = n.reasonLine();
        String headline = n.headline();
        soft.assertThat(headline).as(name + ": one headline").isEqualTo(d.headline());
        soft.assertThat(n.title()).as(name + ": title").contains(headline);
        boolean raisesMemory = first.command() != null && first.command().contains("--memory")
                || first.title().startsWith("Raise the memory") || first.title().contains("workload profile with more memory");
        switch (d.verdict()) {
            case LEAK_SUSPECTED -> {
                soft.assertThat(first.kind()).as(name + ": a leak starts with what buys time").isEqualTo("Now");
                soft.assertThat(n.actions()).as(name + ": and has the fix").anyMatch(a -> "Fix (owning team)".equals(a.kind()));
                soft.assertThat(n.topActions(3)).as(name + ": the card shows now and fix")
                        .anyMatch(a -> "Now".equals(a.kind())).anyMatch(a -> "Fix (owning team)".equals(a.kind()));
                soft.assertThat(why).as(name + ": why").containsPattern("memory (drops|dropped|climbs)");
            }
            case PEAK_DEMAND -> {
                soft.assertThat(raisesMemory || first.title().startsWith("Scale out")).as(name + ": peak's first action: " + first.title()).isTrue();
                soft.assertThat(why).as(name + ": why").doesNotContain("far from").doesNotContain("not a memory");
            }
            case OTHER_CRASH_CAUSE -> {
                if (Diagnosis.SIZED_TIGHT_HEADLINE.equals(headline)) {
                    soft.assertThat(raisesMemory).as(name + ": sized tight raises memory first: " + first.title()).isTrue();
                    soft.assertThat(why).as(name + ": why").contains("near the limit");
                } else {
                    soft.assertThat(raisesMemory).as(name + ": '" + headline + "' must not raise memory first: " + first.title()).isFalse();
                    soft.assertThat(why).as(name + ": why").doesNotContain("near the limit");
                    soft.assertThat(n.actions()).as(name + ": no memory alert").noneMatch(a -> a.title().contains("Alert before the next OOM"));
                }
                if (Diagnosis.NO_MEMORY_PROBLEM_HEADLINE.equals(headline)) {
                    soft.assertThat(facts.get("Restarts")).as(name + ": no memory problem, no restart").startsWith("0 restarts");
                }
                if (d.causes().contains(Diagnosis.Cause.NON_MEMORY_CRASH)) {
                    soft.assertThat(headline).as(name).isEqualTo("Not a memory problem");
                }
            }
            case INSUFFICIENT_EVIDENCE -> {
                soft.assertThat(first.kind()).as(name + ": no evidence: act now").isEqualTo("Now");
                soft.assertThat(n.gaps()).as(name + ": says what is missing").isNotEmpty();
            }
        }
        // Absent evidence is unknown, never 0.
        if (d.figures() != null && d.figures().restarts() == null) {
            soft.assertThat(facts.get("Restarts")).as(name + ": unknown restarts").startsWith("unknown");
        }
        // Each gap once, and not again as a finding.
        for (String gap : n.gaps()) {
            soft.assertThat(n.findings()).as(name + ": gap repeated as a finding").noneMatch(f -> f.contains(gap.substring(gap.indexOf(':') + 1).trim()));
        }
        soft.assertThat(n.gaps()).as(name + ": gaps listed once").doesNotHaveDuplicates();
        // Plain words in the main text: the statistics stay in the details.
        String main = why + " " + facts.values() + " " + n.actions().stream().map(a -> a.title() + " " + a.detail()).collect(Collectors.joining(" "));
        soft.assertThat(main).as(name + ": statistics in the main text").doesNotContain("Mann–Kendall").doesNotContain("Spearman").doesNotContain("ρ ");
        // The impact and "still happening?" lines are always there, worded.
        soft.assertThat(facts).as(name + ": the two on-call lines").containsKeys(IncidentLines.USER_IMPACT, IncidentLines.STILL_HAPPENING);
        // No figure rounded across the threshold it is compared with, anywhere.
        List<String> texts = new ArrayList<>();
        n.steps().forEach(s -> texts.add(s.answer()));
        texts.add(why);
        texts.addAll(facts.values());
        n.actions().forEach(a -> texts.add(a.detail() == null ? "" : a.detail()));
        for (String t : texts) {
            soft.assertThat(brokenComparisons(t)).as(name + ": a figure rounded across its threshold in: " + t).isEmpty();
        }
        return n;
    }

    /** The comparisons in {@code text} whose printed figures contradict the printed operator. */
    static List<String> brokenComparisons(String text) {
        List<String> broken = new ArrayList<>();
        Matcher m = COMPARISON.matcher(text);
        while (m.find()) {
            if (!m.group(2).equals(m.group(5))) {
                continue;
            }
            double a = Double.parseDouble(m.group(1));
            double b = Double.parseDouble(m.group(4));
            boolean holds = switch (m.group(3)) {
                case "<", "below" -> a < b;
                case "≤" -> a <= b;
                case ">" -> a > b;
                default -> a >= b;
            };
            if (!holds) {
                broken.add(m.group());
            }
        }
        return broken;
    }

    private static EvidenceBundle nothingGathered(EvidenceBundle b, List<EvidenceGap> gaps) {
        AppConfig app = new AppConfig(b.app().resourceId(), b.app().name(), b.app().resourceGroup(), b.app().subscriptionId(), null,
                List.of(), null, null, null, null, List.of());
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), app, List.of(), List.of(), List.of(), List.of(), gaps);
    }

    private static Map<String, String> facts(NoteContent n) {
        return n.facts().stream().collect(Collectors.toMap(NoteContent.Fact::label, NoteContent.Fact::value, (x, y) -> x));
    }

    private static int count(String text, String part) {
        int c = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            c++;
        }
        return c;
    }
}
