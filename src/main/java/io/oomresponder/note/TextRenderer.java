package io.oomresponder.note;

import java.util.List;

/** The note as plain text for terminals: same content as the Markdown, no markup. */
public final class TextRenderer {

    private TextRenderer() {
    }

    public static String render(NoteContent n) {
        StringBuilder t = new StringBuilder(4096);
        t.append(n.title().toUpperCase(java.util.Locale.ROOT)).append('\n');
        t.append(n.subtitle()).append('\n');
        t.append("verdict ").append(n.verdict()).append(" · alert ").append(n.alertId()).append('\n');
        if (n.status() != null) {
            t.append(n.status()).append('\n');
        }
        if (n.recurrence() != null) {
            t.append(n.recurrence()).append('\n');
        }
        t.append("\nFACTS\n");
        int width = n.facts().stream().mapToInt(f -> f.label().length()).max().orElse(10);
        for (NoteContent.Fact f : n.facts()) {
            t.append("  ").append(pad(f.label(), width)).append("  ").append(f.value()).append('\n');
        }
        if (!n.reasons().isEmpty()) {
            t.append("\nWHY   ").append(n.reasonLine()).append('\n');
        }
        t.append("\nWHAT TO DO\n");
        if (n.actions().isEmpty()) {
            t.append("  No action recommended.\n");
        }
        int i = 1;
        for (NoteContent.Action a : n.actions()) {
            t.append("  ").append(i++).append(". ").append(a.labelledTitle());
            if (a.detail() != null) {
                t.append(" — ").append(a.detail());
            }
            t.append('\n');
            if (a.command() != null) {
                t.append("     $ ").append(a.command().replace("\n", "\n       ")).append('\n');
            }
        }
        t.append("\nPATH  ").append(n.pathLine()).append('\n');
        for (NoteContent.Step s : n.steps()) {
            t.append("  ").append(s.node()).append("  ").append(s.question()).append(" -> ").append(s.answer()).append('\n');
            if (!s.numbers().isEmpty()) {
                t.append("     ").append(s.numbers()).append('\n');
            }
        }
        section(t, "FINDINGS", n.findings());
        t.append("\nEVIDENCE GAPS\n");
        if (n.gaps().isEmpty()) {
            t.append("  none: every source answered\n");
        } else {
            n.gaps().forEach(g -> t.append("  - ").append(g).append('\n'));
        }
        excerpts(t, "SYSTEM LOG (redacted)", n.systemLog());
        excerpts(t, "CONSOLE LOG (redacted)", n.consoleLog());
        t.append("\nLINKS\n");
        n.links().forEach(l -> t.append("  ").append(pad(l.title(), 10)).append("  ").append(l.url()).append('\n'));
        if (n.chartUrl() != null) {
            t.append("  ").append(pad("Chart", 10)).append("  ").append(n.chartUrl()).append('\n');
        }
        return t.toString();
    }

    private static void section(StringBuilder t, String heading, List<String> items) {
        if (!items.isEmpty()) {
            t.append('\n').append(heading).append('\n');
            items.forEach(i -> t.append("  - ").append(i).append('\n'));
        }
    }

    private static void excerpts(StringBuilder t, String heading, List<NoteContent.Excerpt> lines) {
        if (lines.isEmpty()) {
            return;
        }
        t.append('\n').append(heading).append('\n');
        for (NoteContent.Excerpt e : lines) {
            t.append("  ").append(e.time() == null ? "-" : e.time()).append(' ').append(e.replica() == null ? "-" : e.replica())
                    .append(' ').append(e.text()).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
