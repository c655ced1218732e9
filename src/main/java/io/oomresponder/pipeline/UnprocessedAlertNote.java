package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.json.Json;
import io.oomresponder.note.Markup;
import io.oomresponder.note.RenderedNote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The note that says an alert could not be processed: which alert (id, app, condition, firing
 * time), why (the last failure the store recorded), and how often it was tried. Sent to every
 * configured sink when the poison re-drive gives up, so an alert never disappears silently. A
 * message that is not an alert at all is named by its SHA-256 and length, never by its content.
 */
public final class UnprocessedAlertNote {

    private UnprocessedAlertNote() {
    }

    /** Dedupe-key suffix of these notes: one per alert, whatever its own notes were. */
    public static final String KEY_SUFFIX = "|unprocessed";

    /**
     * @param alert     the alert, or null when the message is not readable
     * @param message   the queue message (only hashed when {@code alert} is null)
     * @param reason    why it failed (our own words: exception types and messages, no secrets)
     * @param redrives  how often it was re-driven from alerts-poison
     */
    public static RenderedNote render(QueuedAlert alert, String message, String reason, int redrives) {
        String alertId = alert != null ? (alert.alert().id() != null ? alert.alert().id() : alert.dedupeKey()) : "queue-message-" + sha256(message).substring(0, 16);
        String dedupeKey = (alert != null ? alert.dedupeKey() : alertId) + KEY_SUFFIX;
        String app = alert == null ? null : alert.alert().targetResourceId();
        String title = "Alert could not be processed: " + (app == null ? alertId : appName(app));
        List<String[]> facts = alert == null
                ? List.<String[]>of(new String[]{"Message", "SHA-256 " + sha256(message) + ", " + message.getBytes(StandardCharsets.UTF_8).length + " bytes"})
                : List.<String[]>of(new String[]{"Alert", alertId}, new String[]{"App", app},
                new String[]{"Condition", String.valueOf(alert.alert().condition())},
                new String[]{"Fired", String.valueOf(alert.alert().firedAt())});
        String tries = "It failed on every delivery of the alerts queue and after " + redrives + " re-drive(s) from alerts-poison; it will not be tried again.";
        String why = "Last failure: " + reason;
        return factNote(alertId, dedupeKey, app, alert == null ? null : alert.alert().severity(), title, facts, List.of(why), tries);
    }

    /**
     * A note of facts and paragraphs, not about a diagnosis, in every form a sink takes (card, Markdown,
     * HTML, text), every piece of text escaped for its form.
     *
     * @param paragraphs the paragraphs after the facts
     * @param footnote   a last, subtle paragraph
     */
    static RenderedNote factNote(String alertId, String dedupeKey, String app, String severity, String title, List<String[]> facts,
                                 List<String> paragraphs, String footnote) {
        StringBuilder md = new StringBuilder("## ").append(Markup.markdown(title)).append("\n\n");
        StringBuilder html = new StringBuilder("<h2>").append(Markup.html(title)).append("</h2><ul>");
        StringBuilder text = new StringBuilder(title).append('\n');
        for (String[] f : facts) {
            md.append("- **").append(f[0]).append(":** ").append(Markup.markdown(f[1])).append('\n');
            html.append("<li><b>").append(f[0]).append(":</b> ").append(Markup.html(f[1])).append("</li>");
            text.append(f[0]).append(": ").append(f[1]).append('\n');
        }
        html.append("</ul>");
        for (String p : paragraphs) {
            md.append('\n').append(Markup.markdown(p)).append('\n');
            html.append("<p>").append(Markup.html(p)).append("</p>");
            text.append(p).append('\n');
        }
        md.append('\n').append(Markup.markdown(footnote)).append('\n');
        html.append("<p>").append(Markup.html(footnote)).append("</p>");
        text.append(footnote).append('\n');

        ObjectNode card = Json.mapper().createObjectNode();
        card.put("type", "AdaptiveCard").put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json").put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", Markup.cardMarkdown(title)).put("weight", "Bolder").put("size", "Medium").put("wrap", true);
        ArrayNode factList = body.addObject().put("type", "FactSet").putArray("facts");
        for (String[] f : facts) {
            factList.addObject().put("title", f[0]).put("value", Markup.cardMarkdown(f[1]));
        }
        for (String p : paragraphs) {
            body.addObject().put("type", "TextBlock").put("text", Markup.cardMarkdown(p)).put("wrap", true);
        }
        body.addObject().put("type", "TextBlock").put("text", Markup.cardMarkdown(footnote)).put("wrap", true).put("isSubtle", true);

        // No summary: sinks read a summary as a diagnosis (NoteRenderer.content), and this note has none.
        return new RenderedNote(alertId, dedupeKey, null, RenderedNote.Kind.NEW_INCIDENT, false, app,
                severity, title, card, md.toString(), html.toString(), text.toString(), null, null);
    }

    private static String appName(String resourceId) {
        int slash = resourceId.lastIndexOf('/');
        return slash < 0 ? resourceId : resourceId.substring(slash + 1);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
