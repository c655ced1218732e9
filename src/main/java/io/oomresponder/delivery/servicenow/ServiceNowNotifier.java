package io.oomresponder.delivery.servicenow;

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
import io.oomresponder.note.Markup;
import io.oomresponder.note.RenderedNote;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * ServiceNow incidents through the Table API, idempotent by {@code correlation_id} = the alert's
 * short id (the field holds 100 characters; the ARM alert id is longer): look the incident up,
 * create it when absent, otherwise add the note as work notes (and resolve it on Resolved when
 * configured).
 */
public final class ServiceNowNotifier implements Notifier {

    public static final String NAME = "servicenow";
    public static final int MAX_SHORT_DESCRIPTION_CHARS = 160;
    /** ServiceNow's incident state "Resolved". */
    public static final String STATE_RESOLVED = "6";

    private final ServiceNowConfig config;
    private final SinkHttpClient http;

    public ServiceNowNotifier(ServiceNowConfig config, SinkHttpClient http) {
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Receipt send(RenderedNote note) {
        String correlation = AlertKeys.shortId(note.alertId());
        String base = SinkSettings.base(config.instanceUrl()) + "/api/now/table/incident";
        String query = "sysparm_query=" + URLEncoder.encode("correlation_id=" + correlation, StandardCharsets.UTF_8)
                + "&sysparm_fields=sys_id,number,state&sysparm_limit=1";
        var found = http.send(NAME, note.alertId(), "look up incident", json(URI.create(base + "?" + query)).GET().build());
        JsonNode result = JsonBodies.parse(NAME, note.alertId(), "look up incident", found.body()).path("result");

        if (result.isArray() && !result.isEmpty()) {
            JsonNode incident = result.get(0);
            String sysId = incident.path("sys_id").asText();
            if (!sysId.matches("[0-9a-fA-F]{32}")) {
                throw new DeliveryException(NAME, DeliveryException.Reason.OTHER, false, "ServiceNow returned an invalid sys_id for alert " + note.alertId());
            }
            ObjectNode update = Json.mapper().createObjectNode();
            update.put("work_notes", workNotes(note));
            if (note.kind() == RenderedNote.Kind.RESOLUTION && config.resolveOnResolved()) {
                update.put("state", STATE_RESOLVED);
                update.put("close_code", config.closeCode());
                update.put("close_notes", Markup.serviceNowJournal(note.title()));
            }
            http.send(NAME, note.alertId(), "update incident", json(URI.create(base + "/" + sysId))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(update.toString())).build());
            return new Receipt(NAME, incident.path("number").asText(sysId));
        }

        ObjectNode create = Json.mapper().createObjectNode();
        create.put("short_description", cut(Markup.serviceNowJournal(note.title()), MAX_SHORT_DESCRIPTION_CHARS));
        create.put("description", Markup.serviceNowJournal(note.text()));
        create.put("correlation_id", correlation);
        create.put("correlation_display", "oom-responder");
        String level = level(note.severity());
        create.put("urgency", level);
        create.put("impact", level);
        create.put("category", "software");
        if (config.assignmentGroup() != null) {
            create.put("assignment_group", config.assignmentGroup());
        }
        create.put("work_notes", Markup.serviceNowJournal("Azure alert " + note.alertId()));
        var created = http.send(NAME, note.alertId(), "create incident", json(URI.create(base))
                .POST(HttpRequest.BodyPublishers.ofString(create.toString())).build());
        JsonNode incident = JsonBodies.parse(NAME, note.alertId(), "create incident", created.body()).path("result");
        String newSysId = incident.path("sys_id").asText("");
        if (note.chartPng() != null && newSysId.matches("[0-9a-fA-F]{32}")) {
            // Attachment API: POST /api/now/attachment/file with the binary body (ServiceNow docs,
            // "Attachment - POST /now/attachment/file"). The note's text links the chart too.
            String attach = SinkSettings.base(config.instanceUrl()) + "/api/now/attachment/file?table_name=incident&table_sys_id=" + newSysId
                    + "&file_name=memory-chart.png";
            http.send(NAME, note.alertId(), "attach chart", http.request(URI.create(attach))
                    .header("Accept", "application/json")
                    .header("Content-Type", "image/png")
                    .header("Authorization", BasicAuth.header(config.user(), config.password()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(note.chartPng())).build());
        }
        return new Receipt(NAME, incident.path("number").asText(incident.path("sys_id").asText(null)));
    }

    private HttpRequest.Builder json(URI uri) {
        return http.request(uri)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .header("Authorization", BasicAuth.header(config.user(), config.password()));
    }

    /** The note's text, with ServiceNow's journal markup ([code]) neutralised: work notes are a journal field. */
    private static String workNotes(RenderedNote note) {
        return Markup.serviceNowJournal(note.text() == null ? note.title() : note.text());
    }

    /** Sev0/Sev1 → 1 (high), Sev2 → 2, otherwise 3. */
    private static String level(String severity) {
        String s = severity == null ? "" : severity.toLowerCase(Locale.ROOT);
        return s.equals("sev0") || s.equals("sev1") ? "1" : s.equals("sev2") ? "2" : "3";
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
