package io.oomresponder.delivery.jira;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;
import io.oomresponder.note.Markup;
import io.oomresponder.note.NoteContent;

/**
 * The note in Atlassian Document Format (what Jira Cloud REST v3 requires for descriptions and
 * comments). ADF is structured JSON, so untrusted text needs no escaping; empty text nodes are
 * not allowed and are never emitted.
 */
public final class AdfDocument {

    private AdfDocument() {
    }

    public static ObjectNode of(NoteContent n) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode content = doc.putArray("content");
        content.add(heading(2, n.title()));
        content.add(paragraph(text(n.subtitle(), "strong")));
        if (n.status() != null) {
            content.add(paragraph(text(n.status(), "strong")));
        }
        if (n.recurrence() != null) {
            content.add(paragraph(text(n.recurrence(), "em")));
        }
        content.add(heading(3, "Facts"));
        ArrayNode facts = list(content, "bulletList");
        n.facts().forEach(f -> facts.add(item(paragraph(text(f.label() + ": ", "strong"), text(f.value(), null)))));
        if (!n.reasons().isEmpty()) {
            content.add(paragraph(text("Why: ", "strong"), text(n.reasonLine(), null)));
        }
        content.add(heading(3, "Flowchart path"));
        content.add(paragraph(text(n.pathLine(), null)));
        if (!n.steps().isEmpty()) {
            ArrayNode steps = list(content, "orderedList");
            n.steps().forEach(s -> steps.add(item(paragraph(text(s.node() + " ", "strong"), text(s.question() + " → " + s.answer()
                    + (s.numbers().isEmpty() ? "" : " (" + s.numbers() + ")"), null)))));
        }
        content.add(heading(3, "What to do"));
        if (n.actions().isEmpty()) {
            content.add(paragraph(text("No action recommended.", null)));
        } else {
            ArrayNode actions = list(content, "orderedList");
            n.actions().forEach(a -> {
                ObjectNode item = item(paragraph(text(a.labelledTitle(), "strong"), a.detail() == null ? null : text(" — " + a.detail(), null)));
                if (a.command() != null) {
                    item.withArray("content").add(codeBlock(a.command(), "bash"));
                }
                actions.add(item);
            });
        }
        content.add(heading(3, "Evidence gaps"));
        if (n.gaps().isEmpty()) {
            content.add(paragraph(text("None: every source answered.", null)));
        } else {
            ArrayNode gaps = list(content, "bulletList");
            n.gaps().forEach(g -> gaps.add(item(paragraph(text(g, null)))));
        }
        excerpts(content, "System log (redacted)", n.systemLog());
        excerpts(content, "Console log (redacted)", n.consoleLog());
        content.add(heading(3, "Links"));
        ArrayNode links = list(content, "bulletList");
        n.links().forEach(l -> {
            String url = Markup.safeUrl(l.url());
            if (url != null) {
                ObjectNode t = text(l.title(), null);
                t.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", url);
                links.add(item(paragraph(t)));
            }
        });
        content.add(paragraph(text("Log Analytics query behind the evidence:", null)));
        content.add(codeBlock(n.logQuery(), "sql"));
        return doc;
    }

    private static void excerpts(ArrayNode content, String heading, java.util.List<NoteContent.Excerpt> lines) {
        if (lines.isEmpty()) {
            return;
        }
        content.add(heading(3, heading));
        StringBuilder b = new StringBuilder();
        lines.forEach(e -> b.append(e.time()).append(' ').append(e.replica()).append(' ').append(e.text()).append('\n'));
        content.add(codeBlock(b.toString(), "text"));
    }

    private static ArrayNode list(ArrayNode content, String type) {
        ObjectNode l = content.addObject();
        l.put("type", type);
        return l.putArray("content");
    }

    private static ObjectNode item(ObjectNode... children) {
        ObjectNode i = Json.mapper().createObjectNode();
        i.put("type", "listItem");
        ArrayNode c = i.putArray("content");
        for (ObjectNode child : children) {
            c.add(child);
        }
        return i;
    }

    private static ObjectNode heading(int level, String s) {
        ObjectNode h = Json.mapper().createObjectNode();
        h.put("type", "heading");
        h.putObject("attrs").put("level", level);
        h.putArray("content").add(text(s, null));
        return h;
    }

    private static ObjectNode paragraph(ObjectNode... texts) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("type", "paragraph");
        ArrayNode c = p.putArray("content");
        for (ObjectNode t : texts) {
            if (t != null && !t.path("text").asText().isEmpty()) {
                c.add(t);
            }
        }
        return p;
    }

    private static ObjectNode codeBlock(String code, String language) {
        ObjectNode b = Json.mapper().createObjectNode();
        b.put("type", "codeBlock");
        b.putObject("attrs").put("language", language);
        if (code != null && !code.isEmpty()) {
            b.putArray("content").add(text(code, null));
        }
        return b;
    }

    private static ObjectNode text(String s, String mark) {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("type", "text");
        t.put("text", s == null || s.isEmpty() ? " " : s);
        if (mark != null) {
            t.putArray("marks").addObject().put("type", mark);
        }
        return t;
    }
}
