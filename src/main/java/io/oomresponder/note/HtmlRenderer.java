package io.oomresponder.note;

import java.util.List;

/**
 * The note as an HTML fragment for ticket systems that take HTML (Azure DevOps descriptions and
 * comments, ServiceNow). Only plain structural tags; every piece of text is escaped.
 */
public final class HtmlRenderer {

    private HtmlRenderer() {
    }

    public static String render(NoteContent n) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<h2>").append(Markup.html(n.title())).append("</h2>\n");
        h.append("<p><b>").append(Markup.html(n.subtitle())).append("</b><br/>Verdict <code>").append(Markup.html(n.verdict()))
                .append("</code> · alert <code>").append(Markup.html(n.alertId())).append("</code></p>\n");
        if (n.status() != null) {
            h.append("<p><b>").append(Markup.html(n.status())).append("</b></p>\n");
        }
        if (n.recurrence() != null) {
            h.append("<p><i>").append(Markup.html(n.recurrence())).append("</i></p>\n");
        }
        h.append("<h3>Facts</h3>\n<table>\n");
        for (NoteContent.Fact f : n.facts()) {
            h.append("<tr><th align=\"left\">").append(Markup.html(f.label())).append("</th><td>").append(Markup.html(f.value())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!n.reasons().isEmpty()) {
            h.append("<p><b>Why:</b> ").append(Markup.html(n.reasonLine())).append("</p>\n");
        }
        h.append("<h3>What to do</h3>\n");
        if (n.actions().isEmpty()) {
            h.append("<p>No action recommended.</p>\n");
        } else {
            h.append("<ol>\n");
            for (NoteContent.Action a : n.actions()) {
                h.append("<li><b>").append(Markup.html(a.labelledTitle())).append("</b>");
                if (a.detail() != null) {
                    h.append(" — ").append(Markup.html(a.detail()));
                }
                if (a.command() != null) {
                    h.append("<pre><code>").append(Markup.html(a.command())).append("</code></pre>");
                }
                h.append("</li>\n");
            }
            h.append("</ol>\n");
        }
        h.append("<h3>Flowchart path</h3>\n<p>").append(Markup.html(n.pathLine())).append("</p>\n");
        if (!n.steps().isEmpty()) {
            h.append("<ol>\n");
            for (NoteContent.Step s : n.steps()) {
                h.append("<li><b>").append(Markup.html(s.node())).append("</b> ").append(Markup.html(s.question())).append(" → ")
                        .append(Markup.html(s.answer()));
                if (!s.numbers().isEmpty()) {
                    h.append("<br/><small>").append(Markup.html(s.numbers())).append("</small>");
                }
                h.append("</li>\n");
            }
            h.append("</ol>\n");
        }
        list(h, "Findings", n.findings());
        h.append("<h3>Evidence gaps</h3>\n");
        if (n.gaps().isEmpty()) {
            h.append("<p>None: every source answered.</p>\n");
        } else {
            list(h, null, n.gaps());
        }
        excerpts(h, "System log (redacted)", n.systemLog());
        excerpts(h, "Console log (redacted)", n.consoleLog());
        h.append("<h3>Links</h3>\n<ul>\n");
        for (NoteContent.Link l : n.links()) {
            String url = Markup.safeUrl(l.url());
            if (url != null) {
                h.append("<li><a href=\"").append(Markup.html(url)).append("\">").append(Markup.html(l.title())).append("</a></li>\n");
            }
        }
        if (n.chartUrl() != null) {
            h.append("<li><a href=\"").append(Markup.html(n.chartUrl())).append("\">Chart</a></li>\n");
        }
        h.append("</ul>\n<p>Log Analytics query behind the evidence:</p>\n<pre><code>").append(Markup.html(n.logQuery())).append("</code></pre>\n");
        return h.toString();
    }

    private static void list(StringBuilder h, String heading, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        if (heading != null) {
            h.append("<h3>").append(Markup.html(heading)).append("</h3>\n");
        }
        h.append("<ul>\n");
        items.forEach(i -> h.append("<li>").append(Markup.html(i)).append("</li>\n"));
        h.append("</ul>\n");
    }

    private static void excerpts(StringBuilder h, String heading, List<NoteContent.Excerpt> lines) {
        if (lines.isEmpty()) {
            return;
        }
        h.append("<h3>").append(Markup.html(heading)).append("</h3>\n<pre>");
        for (NoteContent.Excerpt e : lines) {
            h.append(Markup.html(e.time() == null ? "-" : e.time().toString())).append(' ')
                    .append(Markup.html(e.replica() == null ? "-" : e.replica())).append(' ').append(Markup.html(e.text())).append('\n');
        }
        h.append("</pre>\n");
    }
}
