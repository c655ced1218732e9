package io.oomresponder.delivery.azuredevops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.AlertKeys;
import io.oomresponder.delivery.BasicAuth;
import io.oomresponder.delivery.DeliveryException;
import io.oomresponder.delivery.JsonBodies;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.delivery.SinkHttpClient;
import io.oomresponder.delivery.SinkSettings;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Azure DevOps Boards, idempotent by the tag {@code oom-alert-<alert guid>}: a WIQL query finds
 * the work item; when absent, the chart is uploaded as an attachment and the work item created
 * with a JSON Patch (title, HTML description, tags, the chart relation); when present, the note
 * becomes a comment, and on Resolved the state is set when configured.
 */
public final class AzureDevOpsNotifier implements Notifier {

    public static final String NAME = "azuredevops";
    public static final String API_VERSION = "7.1";
    /** The Comments API is still a preview in 7.1. */
    public static final String COMMENTS_API_VERSION = "7.1-preview.4";
    public static final String PRODUCT_TAG = "oom-responder";
    public static final int MAX_TITLE_CHARS = 255;

    private final AzureDevOpsConfig config;
    private final SinkHttpClient http;

    public AzureDevOpsNotifier(AzureDevOpsConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        String tag = AlertKeys.tag(note.alertId());
        Long id = find(note.alertId(), tag);
        if (id == null) {
            String attachmentUrl = note.chartPng() == null ? null : upload(note.alertId(), note.chartPng());
            id = create(note, tag, attachmentUrl);
        } else {
            ObjectNode comment = Json.mapper().createObjectNode();
            comment.put("text", note.html());
            http.send(NAME, note.alertId(), "comment on work item", json(project("/_apis/wit/workItems/" + id + "/comments?api-version=" + COMMENTS_API_VERSION))
                    .POST(HttpRequest.BodyPublishers.ofString(comment.toString())).build());
        }
        if (note.kind() == RenderedNote.Kind.RESOLUTION && config.closeOnResolved()) {
            ArrayNode patch = Json.mapper().createArrayNode();
            add(patch, "/fields/System.State", config.closedState());
            http.send(NAME, note.alertId(), "close work item", http.request(project("/_apis/wit/workitems/" + id + "?api-version=" + API_VERSION))
                    .header("Authorization", auth()).header("Content-Type", "application/json-patch+json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString())).build());
        }
        return new Receipt(NAME, String.valueOf(id));
    }

    private Long find(String alertId, String tag) {
        ObjectNode wiql = Json.mapper().createObjectNode();
        // The tag is [a-z0-9-] only: nothing in it can break out of the WIQL string.
        wiql.put("query", "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Tags] CONTAINS '"
                + tag + "' ORDER BY [System.Id] ASC");
        var response = http.send(NAME, alertId, "query work items", json(project("/_apis/wit/wiql?api-version=" + API_VERSION))
                .POST(HttpRequest.BodyPublishers.ofString(wiql.toString())).build());
        JsonNode items = JsonBodies.parse(NAME, alertId, "query work items", response.body()).path("workItems");
        if (items.isArray() && !items.isEmpty()) {
            JsonNode id = items.get(0).path("id");
            if (!id.canConvertToLong()) {
                throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "Azure DevOps returned an invalid work item id for alert " + alertId);
            }
            return id.asLong();
        }
        return null;
    }

    private String upload(String alertId, byte[] png) {
        var response = http.send(NAME, alertId, "upload chart", http.request(project("/_apis/wit/attachments?fileName=memory-chart.png&api-version=" + API_VERSION))
                .header("Authorization", auth()).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build());
        String url = JsonBodies.parse(NAME, alertId, "upload chart", response.body()).path("url").asText(null);
        return url != null && url.startsWith("http") ? url : null;
    }

    private long create(RenderedNote note, String tag, String attachmentUrl) {
        ArrayNode patch = Json.mapper().createArrayNode();
        add(patch, "/fields/System.Title", note.title().length() <= MAX_TITLE_CHARS ? note.title() : note.title().substring(0, MAX_TITLE_CHARS - 1) + "…");
        add(patch, "/fields/System.Description", note.html());
        if ("Bug".equalsIgnoreCase(config.workItemType())) {
            // Bugs show Repro Steps, not Description, on their form.
            add(patch, "/fields/Microsoft.VSTS.TCM.ReproSteps", note.html());
        }
        add(patch, "/fields/System.Tags", PRODUCT_TAG + "; " + tag);
        if (config.areaPath() != null) {
            add(patch, "/fields/System.AreaPath", config.areaPath());
        }
        if (attachmentUrl != null) {
            ObjectNode relation = Json.mapper().createObjectNode();
            relation.put("rel", "AttachedFile");
            relation.put("url", attachmentUrl);
            relation.putObject("attributes").put("comment", "Working set per replica against the memory limit");
            patch.addObject().put("op", "add").put("path", "/relations/-").set("value", relation);
        }
        String type = URLEncoder.encode(config.workItemType(), StandardCharsets.UTF_8).replace("+", "%20");
        var response = http.send(NAME, note.alertId(), "create work item", http.request(project("/_apis/wit/workitems/$" + type + "?api-version=" + API_VERSION))
                .header("Authorization", auth()).header("Content-Type", "application/json-patch+json")
                .POST(HttpRequest.BodyPublishers.ofString(patch.toString())).build());
        JsonNode id = JsonBodies.parse(NAME, note.alertId(), "create work item", response.body()).path("id");
        if (!id.canConvertToLong()) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "Azure DevOps returned no work item id for alert " + note.alertId());
        }
        return id.asLong();
    }

    private static void add(ArrayNode patch, String path, String value) {
        patch.addObject().put("op", "add").put("path", path).put("value", value);
    }

    private URI project(String pathAndQuery) {
        String project = URLEncoder.encode(config.project(), StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(SinkSettings.base(config.organizationUrl()) + "/" + project + pathAndQuery);
    }

    private HttpRequest.Builder json(URI uri) {
        return http.request(uri).header("Authorization", auth()).header("Accept", "application/json").header("Content-Type", "application/json");
    }

    private String auth() {
        return BasicAuth.header("", config.pat());
    }
}
