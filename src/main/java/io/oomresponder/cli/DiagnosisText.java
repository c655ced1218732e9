package io.oomresponder.cli;

import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;
import io.oomresponder.diagnosis.Recommendation;
import io.oomresponder.json.Json;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Plain-text and Markdown renderings of a diagnosis for the terminal: verdict, confidence, causes,
 * the flowchart path with each step's question, answer and deciding numbers, the figures and the
 * recommendations. Deliberately simple; the note stage owns the rich renderings.
 */
final class DiagnosisText {

    private DiagnosisText() {
    }

    static String text(String file, Diagnosis d) {
        StringBuilder s = new StringBuilder();
        if (file != null) {
            s.append("== ").append(file).append('\n');
        }
        s.append("Verdict: ").append(d.verdict()).append(" (").append(d.verdict().headline()).append(")\n");
        s.append(String.format(Locale.ROOT, "Confidence: %.2f%n", d.confidence()));
        s.append("Causes: ").append(d.causes().isEmpty() ? "none" : String.join(", ", d.causes().stream().map(Enum::name).toList())).append('\n');
        s.append("Path: ").append(String.join(" -> ", d.path())).append("\n\nSteps:\n");
        for (DecisionStep st : d.steps()) {
            s.append("  [").append(st.node()).append("] ").append(st.question()).append('\n');
            s.append("      ").append(st.answer()).append('\n');
            if (!st.numbers().isEmpty()) {
                s.append("      numbers: ").append(numbers(st.numbers())).append('\n');
            }
        }
        s.append("\nFigures: ").append(figures(d.figures())).append('\n');
        if (!d.findings().isEmpty()) {
            s.append("\nFindings:\n");
            d.findings().forEach(f -> s.append("  - ").append(f).append('\n'));
        }
        s.append("\nRecommendations:\n");
        int i = 1;
        for (Recommendation r : d.recommendations()) {
            s.append("  ").append(i++).append(". ").append(r.title()).append('\n');
            if (r.detail() != null) {
                s.append("     ").append(r.detail()).append('\n');
            }
            if (r.command() != null) {
                s.append("     $ ").append(r.command()).append('\n');
            }
        }
        return s.toString();
    }

    static String markdown(String file, Diagnosis d) {
        StringBuilder s = new StringBuilder();
        s.append("## ").append(d.verdict().headline()).append(file == null ? "" : " — `" + file + "`").append("\n\n");
        s.append(String.format(Locale.ROOT, "**Verdict:** `%s` · **confidence** %.2f · **causes:** %s%n%n", d.verdict(),
                d.confidence(), d.causes().isEmpty() ? "none" : String.join(", ", d.causes().stream().map(c -> "`" + c + "`").toList())));
        s.append("**Path:** ").append(String.join(" → ", d.path())).append("\n\n");
        s.append("| step | question | answer | deciding numbers |\n|---|---|---|---|\n");
        for (DecisionStep st : d.steps()) {
            s.append("| ").append(st.node()).append(" | ").append(cell(st.question())).append(" | ").append(cell(st.answer()))
                    .append(" | ").append(cell(numbers(st.numbers()))).append(" |\n");
        }
        s.append("\n**Figures:** ").append(cell(figures(d.figures()))).append("\n\n");
        if (!d.findings().isEmpty()) {
            s.append("**Findings**\n\n");
            d.findings().forEach(f -> s.append("- ").append(f).append('\n'));
            s.append('\n');
        }
        s.append("**Recommendations**\n\n");
        int i = 1;
        for (Recommendation r : d.recommendations()) {
            s.append(i++).append(". **").append(r.title()).append("**");
            if (r.detail() != null) {
                s.append(" — ").append(r.detail());
            }
            s.append('\n');
            if (r.command() != null) {
                s.append("   ```\n   ").append(r.command()).append("\n   ```\n");
            }
        }
        return s.toString();
    }

    private static String cell(String v) {
        return v.replace("|", "\\|").replace("\n", " ");
    }

    private static String numbers(Map<String, Object> m) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(e.getKey()).append('=').append(e.getValue());
        }
        return s.toString();
    }

    private static String figures(Figures f) {
        var node = Json.mapper().valueToTree(f);
        StringBuilder s = new StringBuilder();
        Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(e.getKey()).append('=').append(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return s.toString();
    }
}
