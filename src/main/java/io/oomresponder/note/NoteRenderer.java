package io.oomresponder.note;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Renders a diagnosis and its evidence into one {@link RenderedNote}: the Teams card (under
 * 28 KB), Markdown, HTML, plain text, the chart PNG and the structured summary for machine sinks.
 * Stateless and thread-safe.
 */
public final class NoteRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(NoteRenderer.class);

    private final boolean drawChart;

    /** A renderer that draws the chart. */
    public NoteRenderer() {
        this(true);
    }

    /** @param drawChart false to skip the chart (it is the slowest part: about 100 ms) */
    public NoteRenderer(boolean drawChart) {
        this.drawChart = drawChart;
    }

    public RenderedNote render(EvidenceBundle bundle, Diagnosis diagnosis, NoteContext context) {
        return render(bundle, diagnosis, context, null);
    }

    /**
     * Renders with a chart already drawn (e.g. the note rebuilt around the chart's link after the
     * upload), or draws it when {@code chartPng} is null.
     */
    public RenderedNote render(EvidenceBundle bundle, Diagnosis diagnosis, NoteContext context, byte[] chartPng) {
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(diagnosis, "diagnosis");
        Objects.requireNonNull(context, "context");
        NoteContent content = NoteContent.of(bundle, diagnosis, context);
        byte[] chart = chartPng;
        if (chart == null && drawChart) {
            try {
                chart = MemoryChart.png(bundle, diagnosis.figures());
            } catch (RuntimeException | Error e) {
                // A note without its chart is still worth sending; the text carries every number.
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                LOG.warn("chart for alert {} could not be drawn: {}", content.alertId(), e.toString());
            }
        }
        JsonNode summary = Json.mapper().valueToTree(content);
        return new RenderedNote(
                content.alertId(),
                bundle.alert().dedupeKey(),
                context.incidentId(),
                context.kind(),
                context.replay(),
                bundle.app().resourceId(),
                bundle.alert().severity(),
                content.title(),
                AdaptiveCard.build(content),
                MarkdownRenderer.render(content),
                HtmlRenderer.render(content),
                TextRenderer.render(content),
                chart,
                summary);
    }

    /** The structured content of a rendered note (what {@link RenderedNote#summary()} holds). */
    public static NoteContent content(RenderedNote note) {
        if (note.summary() == null) {
            throw new IllegalArgumentException("note for alert " + note.alertId() + " has no summary");
        }
        try {
            return Json.mapper().treeToValue(note.summary(), NoteContent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("note for alert " + note.alertId() + " has an unreadable summary", e);
        }
    }
}
