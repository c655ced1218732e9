package io.oomresponder.delivery.pagerduty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.AlertKeys;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteContent;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;

import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Objects;

/**
 * PagerDuty Events API v2: {@code trigger} for new incidents and updates, {@code resolve} when
 * the alert resolves, always with {@code dedup_key} = the Azure alert id, so PagerDuty folds a
 * repeat into the open alert (idempotent by design).
 */
public final class PagerDutyNotifier implements Notifier {

    public static final String NAME = "pagerduty";
    /** PagerDuty's limits on dedup_key and summary. */
    public static final int MAX_DEDUP_KEY_CHARS = 255;
    public static final int MAX_SUMMARY_CHARS = 1024;

    private final PagerDutyConfig config;
    private final SinkHttpClient http;

    public PagerDutyNotifier(PagerDutyConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The dedup key: the alert id, or its SHA-256 when longer than PagerDuty allows. */
    public static String dedupKey(String alertId) {
        return alertId.length() <= MAX_DEDUP_KEY_CHARS ? alertId : AlertKeys.sha256Hex(alertId);
    }

    @Override
    public Receipt send(RenderedNote note) {
        ObjectNode event = event(note);
        HttpRequest request = http.request(config.eventsUrl())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.toString()))
                .build();
        var response = http.send(NAME, note.alertId(), event.path("event_action").asText() + " event", request);
        String key = event.path("dedup_key").asText();
        try {
            JsonNode body = Json.mapper().readTree(response.body());
            key = body.path("dedup_key").asText(key);
        } catch (Exception ignored) {
            // 202 with an unexpected body still means accepted
        }
        return new Receipt(NAME, key);
    }

    ObjectNode event(RenderedNote note) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("routing_key", config.routingKey());
        boolean resolve = note.kind() == RenderedNote.Kind.RESOLUTION;
        e.put("event_action", resolve ? "resolve" : "trigger");
        e.put("dedup_key", dedupKey(note.alertId()));
        if (resolve) {
            return e;
        }
        NoteContent content = note.summary() == null ? null : NoteRenderer.content(note);
        ObjectNode payload = e.putObject("payload");
        payload.put("summary", cut(note.title(), MAX_SUMMARY_CHARS));
        payload.put("source", note.appResourceId() == null ? "oom-responder" : note.appResourceId());
        payload.put("severity", severity(note.severity(), content));
        if (content != null) {
            if (content.windowEnd() != null) {
                payload.put("timestamp", content.windowEnd().toString());
            }
            payload.put("component", content.app());
            if (content.resourceGroup() != null) {
                payload.put("group", content.resourceGroup());
            }
            payload.put("class", content.verdict());
            ObjectNode details = payload.putObject("custom_details");
            content.facts().forEach(f -> details.put(f.label(), f.value()));
            details.put("why", content.reasonLine());
            details.put("path", content.pathLine());
            details.put("confidence", content.confidence());
            var actions = details.putArray("actions");
            content.topActions(3).forEach(a -> actions.add(a.command() == null ? a.labelledTitle() : a.labelledTitle() + ": " + a.command()));
            if (!content.gaps().isEmpty()) {
                details.put("evidence gaps", String.join("; ", content.gaps()));
            }
            var links = e.putArray("links");
            content.links().forEach(l -> links.addObject().put("href", l.url()).put("text", l.title()));
            if (content.chartUrl() != null) {
                e.putArray("images").addObject().put("src", content.chartUrl()).put("alt", "working set per replica");
            }
        }
        return e;
    }

    private static String severity(String azureSeverity, NoteContent content) {
        if (azureSeverity != null) {
            switch (azureSeverity.toLowerCase(Locale.ROOT)) {
                case "sev0", "sev1" -> {
                    return "critical";
                }
                case "sev2" -> {
                    return "error";
                }
                case "sev3" -> {
                    return "warning";
                }
                case "sev4" -> {
                    return "info";
                }
                default -> {
                }
            }
        }
        if (content == null) {
            return "error";
        }
        return switch (content.verdict()) {
            case "LEAK_SUSPECTED", "PEAK_DEMAND" -> "error";
            case "OTHER_CRASH_CAUSE" -> "warning";
            default -> "info";
        };
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
