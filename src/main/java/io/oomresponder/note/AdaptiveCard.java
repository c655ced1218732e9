package io.oomresponder.note;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The Teams note: an Adaptive Card, version 1.4, readable in ten seconds on a phone (headline,
 * facts, path, three actions with copyable commands, links) with the evidence folded behind a
 * "Details" toggle.
 *
 * <p>A Teams Workflows message must stay under about 28 KB. The card is built whole, then trimmed
 * in a fixed order until the whole message fits: console excerpts first, then system log
 * excerpts, findings, the flowchart steps, evidence gaps and the chart image. The headline, the
 * facts, the path and the actions are never dropped.
 *
 * <p>Untrusted text (log lines, names, commands) is put in {@code TextRun}s, which Adaptive Cards
 * never interpret as Markdown; the few {@code TextBlock}s and facts holding such text are escaped.
 */
public final class AdaptiveCard {

    /** The card schema version: the newest every Teams client (mobile included) renders. */
    public static final String VERSION = "1.4";
    /** Teams Workflows rejects messages over about 28 KB (HTTP 413); stay below with a margin. */
    public static final int MAX_MESSAGE_BYTES = 28 * 1000;
    /** The Teams attachment content type. */
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    /** Actions the card shows; the rest are in the ticket. */
    public static final int CARD_ACTIONS = 3;

    /** The label of actions that buy time now (coloured apart from the fix). */
    private static final String NOW_LABEL = io.oomresponder.diagnosis.Recommendation.Kind.NOW.label();

    /** Element ids in the order they are dropped when the message is too large. */
    public static final List<String> TRIM_ORDER = List.of("console", "systemLog", "findings", "steps", "gaps", "recurrence", "chart");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int TRIMMED_DETAIL_CHARS = 160;
    private static final int TRIMMED_COMMAND_CHARS = 400;

    private AdaptiveCard() {
    }

    /** The card for this note, trimmed to fit {@link #MAX_MESSAGE_BYTES}. */
    public static ObjectNode build(NoteContent note) {
        return build(note, MAX_MESSAGE_BYTES);
    }

    /** The card for this note, trimmed so that its Teams message is at most {@code maxMessageBytes}. */
    public static ObjectNode build(NoteContent note, int maxMessageBytes) {
        return shrink(full(note), maxMessageBytes);
    }

    /** The Teams Workflows message carrying a card. */
    public static ObjectNode teamsMessage(JsonNode card) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CONTENT_TYPE);
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }

    /** The size in bytes (UTF-8 JSON) of the Teams message carrying this card. */
    public static int messageBytes(JsonNode card) {
        try {
            return Json.mapper().writeValueAsBytes(teamsMessage(card)).length;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("card is not serialisable", e);
        }
    }

    /**
     * A copy of the card whose Teams message is at most {@code maxMessageBytes}, dropping optional
     * parts in {@link #TRIM_ORDER}, then cutting action details and commands. Used at build time
     * and by the Teams sink when the service still answers 413.
     */
    public static ObjectNode shrink(JsonNode card, int maxMessageBytes) {
        ObjectNode copy = card.deepCopy();
        if (messageBytes(copy) <= maxMessageBytes) {
            return copy;
        }
        List<String> dropped = new ArrayList<>();
        for (String id : TRIM_ORDER) {
            if (removeById(copy.withArray("body"), id)) {
                dropped.add(id);
                pruneDetails(copy);
                noteTrimmed(copy, dropped);
                if (messageBytes(copy) <= maxMessageBytes) {
                    return copy;
                }
            }
        }
        cutActionTexts(copy);
        return copy;
    }

    /** The full card before trimming. */
    static ObjectNode full(NoteContent note) {
        ObjectNode card = NODES.objectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", VERSION);
        card.putObject("msteams").put("width", "Full");
        ArrayNode body = card.putArray("body");

        ObjectNode head = container("headline", style(note.tone()));
        head.put("bleed", true);
        String prefix = (note.replay() ? "[replay] " : "") + switch (note.kind()) {
            case NEW_INCIDENT -> "";
            case UPDATE -> "Update: ";
            case RESOLUTION -> "Resolved: ";
        };
        head.withArray("items").add(richText(null, run(prefix + note.headline(), "Large", "Bolder", color(note.tone()), false, false)));
        head.withArray("items").add(richText(null, run(note.subtitle(), null, null, null, true, false)));
        if (note.status() != null) {
            head.withArray("items").add(richText(null, run(note.status(), null, "Bolder", null, false, false)));
        }
        body.add(head);
        if (note.recurrence() != null) {
            ObjectNode rec = richText("recurrence", run(note.recurrence(), "Small", null, null, false, true));
            body.add(rec);
        }

        ObjectNode facts = element("FactSet", "facts");
        ArrayNode factArray = facts.putArray("facts");
        for (NoteContent.Fact f : note.facts()) {
            factArray.addObject().put("title", Markup.cardMarkdown(f.label())).put("value", Markup.cardMarkdown(f.value()));
        }
        facts.put("spacing", "Medium");
        body.add(facts);

        // The reader's reasoning line: the answers that decided the verdict; the letters are in the details.
        body.add(richText("reasons", run("Why: ", null, "Bolder", null, false, false),
                run(note.reasons().isEmpty() ? note.headline() : note.reasonLine(), null, null, null, false, false)));

        ObjectNode actions = container("actions", null);
        actions.put("spacing", "Medium");
        actions.withArray("items").add(textBlock("Do next", "Medium", "Bolder"));
        int i = 1;
        for (NoteContent.Action a : note.topActions(CARD_ACTIONS)) {
            List<ObjectNode> runs = new ArrayList<>();
            // The label says who acts and when: "Now" buys time, "Fix (owning team)" removes the cause.
            if (a.kind() != null) {
                runs.add(run(i + ". " + a.kind() + ": ", null, "Bolder", NOW_LABEL.equals(a.kind()) ? "Attention" : "Accent", false, false));
                runs.add(run(a.title(), null, "Bolder", null, false, false));
                i++;
            } else {
                runs.add(run(i++ + ". " + a.title(), null, "Bolder", null, false, false));
            }
            if (a.detail() != null) {
                runs.add(run(" — " + a.detail(), null, null, null, true, false));
            }
            actions.withArray("items").add(richText(null, runs.toArray(ObjectNode[]::new)));
            if (a.command() != null) {
                ObjectNode box = container(null, "emphasis");
                ObjectNode cmd = run(a.command(), "Small", null, null, false, false);
                cmd.put("fontType", "Monospace");
                box.withArray("items").add(richText(null, cmd));
                box.put("spacing", "Small");
                actions.withArray("items").add(box);
            }
        }
        if (note.actions().isEmpty()) {
            actions.withArray("items").add(richText(null, run("No action recommended.", null, null, null, true, false)));
        }
        body.add(actions);

        if (note.chartUrl() != null) {
            ObjectNode image = element("Image", "chart");
            image.put("url", note.chartUrl());
            image.put("altText", "Working set per replica against the memory limit");
            image.put("size", "Stretch");
            image.putObject("selectAction").put("type", "Action.OpenUrl").put("url", note.chartUrl());
            body.add(image);
        }

        if (!note.gaps().isEmpty()) {
            ObjectNode gaps = container("gaps", null);
            gaps.withArray("items").add(richText(null, run("Evidence gaps: ", "Small", "Bolder", "Warning", false, false),
                    run(String.join("; ", note.gaps()), "Small", null, null, false, false)));
            body.add(gaps);
        }

        ObjectNode details = container("details", null);
        details.put("isVisible", false);
        details.put("separator", true);
        ArrayNode items = details.withArray("items");
        if (!note.steps().isEmpty()) {
            ObjectNode steps = container("steps", null);
            steps.withArray("items").add(textBlock("How the verdict was reached", null, "Bolder"));
            steps.withArray("items").add(richText(null, run("Path: ", "Small", "Bolder", null, false, false),
                    run(note.pathLine(), "Small", null, null, false, false)));
            for (NoteContent.Step s : note.steps()) {
                steps.withArray("items").add(richText(null,
                        run(s.node() + "  ", "Small", "Bolder", null, false, false),
                        run(s.question() + " → " + s.answer(), "Small", null, null, false, false),
                        run(s.numbers().isEmpty() ? "" : "  (" + s.numbers() + ")", "Small", null, null, true, false)));
            }
            items.add(steps);
        }
        if (!note.findings().isEmpty()) {
            ObjectNode findings = container("findings", null);
            findings.withArray("items").add(textBlock("Findings", null, "Bolder"));
            for (String f : note.findings()) {
                findings.withArray("items").add(richText(null, run("• " + f, "Small", null, null, false, false)));
            }
            items.add(findings);
        }
        if (!note.systemLog().isEmpty()) {
            items.add(excerpts("systemLog", "System log (redacted)", note.systemLog(), note.windowEnd()));
        }
        if (!note.consoleLog().isEmpty()) {
            items.add(excerpts("console", "Console log (redacted)", note.consoleLog(), note.windowEnd()));
        }
        if (!items.isEmpty()) {
            body.add(details);
        }

        ArrayNode cardActions = card.putArray("actions");
        if (!items.isEmpty()) {
            ObjectNode toggle = cardActions.addObject();
            toggle.put("type", "Action.ToggleVisibility");
            toggle.put("title", "Details");
            toggle.putArray("targetElements").add("details");
        }
        for (NoteContent.Link link : note.links()) {
            String url = Markup.safeUrl(link.url());
            if (url != null) {
                cardActions.addObject().put("type", "Action.OpenUrl").put("title", link.title()).put("url", url);
            }
        }
        return card;
    }

    private static ObjectNode excerpts(String id, String heading, List<NoteContent.Excerpt> lines, java.time.Instant reference) {
        ObjectNode box = container(id, null);
        box.withArray("items").add(textBlock(heading, null, "Bolder"));
        for (NoteContent.Excerpt e : lines) {
            String when = e.time() == null ? "" : Quantities.clock(e.time(), reference).replace(" UTC", "") + " ";
            String replica = e.replica() == null ? "" : shortReplica(e.replica()) + " ";
            ObjectNode line = run(when + replica + e.text(), "Small", null, null, false, false);
            line.put("fontType", "Monospace");
            box.withArray("items").add(richText(null, line));
        }
        return box;
    }

    /** The replica suffix is what tells replicas apart; the revision prefix is in the headline. */
    private static String shortReplica(String replica) {
        int dash = replica.lastIndexOf('-');
        return dash > 0 && dash < replica.length() - 1 ? "…" + replica.substring(dash + 1) : replica;
    }

    private static boolean removeById(ArrayNode elements, String id) {
        for (Iterator<JsonNode> it = elements.iterator(); it.hasNext(); ) {
            JsonNode e = it.next();
            if (id.equals(e.path("id").asText(null))) {
                it.remove();
                return true;
            }
            if (e.has("items") && e.get("items").isArray() && removeById((ArrayNode) e.get("items"), id)) {
                return true;
            }
        }
        return false;
    }

    /** Drops an emptied "details" container and the toggle pointing at it. */
    private static void pruneDetails(ObjectNode card) {
        ArrayNode body = card.withArray("body");
        for (Iterator<JsonNode> it = body.iterator(); it.hasNext(); ) {
            JsonNode e = it.next();
            if ("details".equals(e.path("id").asText(null)) && e.path("items").isEmpty()) {
                it.remove();
                ArrayNode actions = card.withArray("actions");
                for (Iterator<JsonNode> a = actions.iterator(); a.hasNext(); ) {
                    if ("Action.ToggleVisibility".equals(a.next().path("type").asText())) {
                        a.remove();
                    }
                }
            }
        }
    }

    private static void noteTrimmed(ObjectNode card, List<String> dropped) {
        ArrayNode body = card.withArray("body");
        removeById(body, "trimmed");
        ObjectNode note = richText("trimmed", run("Shortened to fit Teams (left out: " + String.join(", ", dropped).toLowerCase(Locale.ROOT)
                + "). The ticket and the Markdown note have everything.", "Small", null, null, true, true));
        body.add(note);
    }

    /** Last resort: cut action details and commands (they are complete in the ticket). */
    private static void cutActionTexts(ObjectNode card) {
        card.withArray("body").forEach(e -> {
            if ("actions".equals(e.path("id").asText(null))) {
                cut(e, 0);
            }
        });
    }

    private static void cut(JsonNode node, int depth) {
        if (node.isObject()) {
            ObjectNode o = (ObjectNode) node;
            if ("TextRun".equals(o.path("type").asText())) {
                String text = o.path("text").asText("");
                int max = "Monospace".equals(o.path("fontType").asText()) ? TRIMMED_COMMAND_CHARS : TRIMMED_DETAIL_CHARS;
                if (text.length() > max) {
                    o.put("text", text.substring(0, max - 1) + "…");
                }
            }
            o.forEach(child -> cut(child, depth + 1));
        } else if (node.isArray()) {
            node.forEach(child -> cut(child, depth + 1));
        }
    }

    private static ObjectNode element(String type, String id) {
        ObjectNode e = NODES.objectNode();
        e.put("type", type);
        if (id != null) {
            e.put("id", id);
        }
        return e;
    }

    private static ObjectNode container(String id, String style) {
        ObjectNode c = element("Container", id);
        if (style != null) {
            c.put("style", style);
        }
        c.putArray("items");
        return c;
    }

    private static ObjectNode textBlock(String text, String size, String weight) {
        ObjectNode t = element("TextBlock", null);
        t.put("text", Markup.cardMarkdown(text));
        t.put("wrap", true);
        if (size != null) {
            t.put("size", size);
        }
        if (weight != null) {
            t.put("weight", weight);
        }
        return t;
    }

    private static ObjectNode richText(String id, ObjectNode... runs) {
        ObjectNode r = element("RichTextBlock", id);
        ArrayNode inlines = r.putArray("inlines");
        for (ObjectNode run : runs) {
            if (!run.path("text").asText().isEmpty()) {
                inlines.add(run);
            }
        }
        return r;
    }

    private static ObjectNode run(String text, String size, String weight, String color, boolean subtle, boolean italic) {
        ObjectNode t = element("TextRun", null);
        t.put("text", text == null ? "" : text);
        if (size != null) {
            t.put("size", size);
        }
        if (weight != null) {
            t.put("weight", weight);
        }
        if (color != null) {
            t.put("color", color);
        }
        if (subtle) {
            t.put("isSubtle", true);
        }
        if (italic) {
            t.put("italic", true);
        }
        return t;
    }

    private static String style(NoteContent.Tone tone) {
        return switch (tone) {
            case ATTENTION -> "attention";
            case WARNING -> "warning";
            case ACCENT -> "accent";
            case GOOD -> "good";
        };
    }

    private static String color(NoteContent.Tone tone) {
        return switch (tone) {
            case ATTENTION -> "Attention";
            case WARNING -> "Warning";
            case ACCENT -> "Accent";
            case GOOD -> "Good";
        };
    }
}
