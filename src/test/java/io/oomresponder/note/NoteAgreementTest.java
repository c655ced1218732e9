package io.oomresponder.note;

import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.simulator.Scenario;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.ScenarioOverrides;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over every simulator scenario, and again with the bundle's gap entries removed (a source that
 * answered with nothing), the headline, the facts, the gaps, the reasoning line and the chart of a
 * note agree with each other.
 */
class NoteAgreementTest {

    private static final Pattern REPLICAS = Pattern.compile("^(\\d+) of max");
    private static final Pattern RESTARTS = Pattern.compile("^(\\d+) restarts?");

    @Test
    void headlineFactsGapsReasonsAndChartAgreeInEveryScenario() {
        Diagnoser diagnoser = new Diagnoser();
        SoftAssertions soft = new SoftAssertions();
        int notes = 0;
        for (Scenario scenario : ScenarioCatalog.scenarios()) {
            for (long seed : new long[]{5, 11}) {
                EvidenceBundle truth = ScenarioCatalog.generate(scenario, seed, ScenarioOverrides.NONE).truth();
                EvidenceBundle silent = new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), truth.app(),
                        truth.replicas(), truth.metrics(), truth.systemLogs(), truth.consoleLogs(), List.of());
                for (EvidenceBundle bundle : List.of(truth, silent)) {
                    String name = scenario.scenarioName() + " seed " + seed + (bundle == silent ? " (no gap entries)" : "");
                    check(soft, name, bundle, diagnoser.diagnose(bundle));
                    notes++;
                }
            }
        }
        soft.assertAll();
        assertThat(notes).isEqualTo(ScenarioCatalog.scenarios().size() * 4);
    }

    private static void check(SoftAssertions soft, String name, EvidenceBundle bundle, Diagnosis diagnosis) {
        NoteContent n = NoteContent.of(bundle, diagnosis, NoteContext.newIncident());
        Map<String, String> facts = n.facts().stream().collect(Collectors.toMap(NoteContent.Fact::label, NoteContent.Fact::value));
        MemoryChart.Drawn chart = MemoryChart.drawn(bundle, diagnosis.figures());
        String text = TextRenderer.render(n);
        String card = AdaptiveCard.build(n).toString();

        // Gaps: "every source answered" only when nothing is missing from the facts.
        boolean factMissing = facts.values().stream().anyMatch(v -> v.contains("no data") || v.contains("unknown"));
        soft.assertThat(factMissing && n.gaps().isEmpty()).as(name + ": a fact is missing but no gap says why: " + facts).isFalse();
        soft.assertThat(text.contains("none: every source answered")).as(name + ": text gaps line").isEqualTo(n.gaps().isEmpty());
        soft.assertThat(card.contains("\"id\":\"gaps\"")).as(name + ": card gaps section").isEqualTo(!n.gaps().isEmpty());

        // Headline and confidence wording.
        if (diagnosis.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE) {
            soft.assertThat(n.subtitle()).as(name + ": no verdict, no confidence claim").doesNotContain("confidence (");
            soft.assertThat(n.gaps()).as(name + ": no verdict without a gap saying what is missing").isNotEmpty();
        } else {
            soft.assertThat(n.subtitle()).as(name).containsPattern("(high|medium|low) confidence \\(\\d\\.\\d\\d\\)");
        }
        if (!n.gaps().isEmpty()) {
            soft.assertThat(n.subtitle()).as(name + ": the gap count sits next to the confidence").contains("evidence gap");
        }

        // Chart vs facts: the same data, the same replica count, "no data" said the same way.
        soft.assertThat(facts.get("Peak working set").startsWith("no data")).as(name + ": peak fact vs chart data")
                .isEqualTo(!chart.hasData());
        String replicas = facts.get("Replicas");
        if (replicas != null) {
            Matcher m = REPLICAS.matcher(replicas);
            if (m.find()) {
                soft.assertThat(Integer.parseInt(m.group(1))).as(name + ": replicas fact vs chart").isEqualTo(chart.replicas());
                Matcher r = RESTARTS.matcher(facts.get("Restarts"));
                if (r.find() && Integer.parseInt(r.group(1)) > 0) {
                    soft.assertThat(Integer.parseInt(m.group(1))).as(name + ": restarts with zero replicas").isPositive();
                }
            } else {
                soft.assertThat(chart.hasData()).as(name + ": replicas unknown but the chart has data").isFalse();
            }
        }
        if (chart.hasData() && diagnosis.figures() != null && diagnosis.figures().peakWorkingSetBytes() != null) {
            soft.assertThat(chart.peakBytes()).as(name + ": chart peak vs peak fact")
                    .isCloseTo(diagnosis.figures().peakWorkingSetBytes(), org.assertj.core.data.Percentage.withPercentage(5));
        }
        var drawnChart = MemoryChart.chart(bundle, diagnosis.figures());
        String subtitle = java.util.stream.IntStream.range(0, drawnChart.getSubtitleCount()).mapToObj(drawnChart::getSubtitle)
                .filter(t -> t instanceof org.jfree.chart.title.TextTitle).map(t -> ((org.jfree.chart.title.TextTitle) t).getText()).findFirst().orElse("");
        soft.assertThat(subtitle.contains("no working-set data")).as(name + ": chart says no data").isEqualTo(!chart.hasData());

        // The reasoning line: plain words, no flowchart letters, and on the card.
        soft.assertThat(n.reasons()).as(name + ": reasons").isNotEmpty().hasSizeLessThanOrEqualTo(3);
        soft.assertThat(n.reasonLine()).as(name + ": reasons carry no path letters").doesNotContain("→");
        soft.assertThat(card).as(name + ": card carries the reasons").contains(Markup.cardMarkdown(n.reasons().get(0)));
        if (diagnosis.verdict() == Diagnosis.Verdict.INSUFFICIENT_EVIDENCE) {
            soft.assertThat(n.gaps().stream().anyMatch(g -> g.startsWith("metrics") || g.startsWith("arm")))
                    .as(name + ": the missing source is a gap: " + n.gaps()).isTrue();
        }
    }
}
