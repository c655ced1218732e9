package io.oomresponder.delivery.jira;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Jira Cloud issues, idempotent by a label {@code oom-alert-<alert guid>}: search with
 * {@code POST /rest/api/3/search/jql}, create the issue (ADF description, labels, chart
 * attachment) when absent, otherwise comment; on Resolved apply the configured transition.
 */
public final class JiraNotifier implements Notifier {

    public static final String NAME = "jira";
    public static final String PRODUCT_LABEL = "oom-responder";
    public static final int MAX_SUMMARY_CHARS = 255;

    private final JiraConfig config;
    private final SinkHttpClient http;

    public JiraNotifier(JiraConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        String label = AlertKeys.tag(note.alertId());
        ObjectNode adf = AdfDocument.of(NoteRenderer.content(note));
        String key = find(note.alertId(), label);
        if (key == null) {
            key = create(note, label, adf);
            if (note.chartPng() != null) {
                attach(note.alertId(), key, note.chartPng());
            }
        } else {
            ObjectNode comment = Json.mapper().createObjectNode();
            comment.set("body", adf);
            http.send(NAME, note.alertId(), "comment on issue", json(api("/issue/" + key + "/comment"))
                    .POST(HttpRequest.BodyPublishers.ofString(comment.toString())).build());
        }
        if (note.kind() == RenderedNote.Kind.RESOLUTION && config.resolveTransition() != null) {
            transition(note.alertId(), key);
        }
        return new Receipt(NAME, key);
    }

    private String find(String alertId, String label) {
        ObjectNode search = Json.mapper().createObjectNode();
        // The project key is validated and the label is [a-z0-9-]: nothing here can break out of JQL.
        search.put("jql", "project = \"" + config.projectKey() + "\" AND labels = \"" + label + "\" ORDER BY created ASC");
        search.putArray("fields").add("key");
        search.put("maxResults", 1);
        var response = http.send(NAME, alertId, "search issues", json(api("/search/jql"))
                .POST(HttpRequest.BodyPublishers.ofString(search.toString())).build());
        JsonNode issues = JsonBodies.parse(NAME, alertId, "search issues", response.body()).path("issues");
        if (issues.isArray() && !issues.isEmpty()) {
            return checkedKey(alertId, issues.get(0).path("key").asText());
        }
        return null;
    }

    private String create(RenderedNote note, String label, ObjectNode adf) {
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode fields = body.putObject("fields");
        fields.putObject("project").put("key", config.projectKey());
        fields.putObject("issuetype").put("name", config.issueType());
        fields.put("summary", note.title().length() <= MAX_SUMMARY_CHARS ? note.title() : note.title().substring(0, MAX_SUMMARY_CHARS - 1) + "…");
        fields.set("description", adf);
        fields.putArray("labels").add(PRODUCT_LABEL).add(label);
        var response = http.send(NAME, note.alertId(), "create issue", json(api("/issue"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
        return checkedKey(note.alertId(), JsonBodies.parse(NAME, note.alertId(), "create issue", response.body()).path("key").asText());
    }

    private void attach(String alertId, String key, byte[] png) {
        String boundary = "oom-" + UUID.nameUUIDFromBytes(png).toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream(png.length + 512);
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"memory-chart.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(png);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        http.send(NAME, alertId, "attach chart", http.request(api("/issue/" + key + "/attachments"))
                .header("Authorization", auth())
                .header("Accept", "application/json")
                .header("X-Atlassian-Token", "no-check")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
    }

    private void transition(String alertId, String key) {
        var response = http.send(NAME, alertId, "list transitions", json(api("/issue/" + key + "/transitions")).GET().build());
        JsonNode transitions = JsonBodies.parse(NAME, alertId, "list transitions", response.body()).path("transitions");
        String id = null;
        for (JsonNode t : transitions) {
            if (t.path("name").asText().toLowerCase(Locale.ROOT).equals(config.resolveTransition().toLowerCase(Locale.ROOT))) {
                id = t.path("id").asText();
            }
        }
        if (id == null) {
            // Already done, or the workflow has no such transition: the comment is in; nothing to retry.
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.putObject("transition").put("id", id);
        http.send(NAME, alertId, "transition issue", json(api("/issue/" + key + "/transitions"))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private URI api(String path) {
        return URI.create(SinkSettings.base(config.siteUrl()) + "/rest/api/3" + path);
    }

    private HttpRequest.Builder json(URI uri) {
        return http.request(uri).header("Authorization", auth()).header("Accept", "application/json").header("Content-Type", "application/json");
    }

    private String auth() {
        return BasicAuth.header(config.email(), config.apiToken());
    }

    private static String checkedKey(String alertId, String key) {
        if (!key.matches("[A-Z][A-Z0-9_]*-[0-9]+")) {
            throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "Jira returned an invalid issue key for alert " + alertId);
        }
        return key;
    }
}
