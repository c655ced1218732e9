package io.oomresponder.delivery.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceNowNotifierTest {

    private static final String PASSWORD = "sn0w-Pa55word!";
    private static final String SYS_ID = "9d385017c611228701d22104cc95c371";
    private final LoopbackServer server = new LoopbackServer();
    private final ServiceNowConfig config = new ServiceNowConfig(server.uri(""), "oom.bot", PASSWORD, "Platform On-call", true, "Solution provided");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createsAnIncidentCorrelatedToTheAlertThenAddsWorkNotesAndResolves() {
        server.on("GET /api/now/table/incident",
                LoopbackServer.Response.json(200, "{\"result\":[]}"),
                LoopbackServer.Response.json(200, "{\"result\":[{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\",\"state\":\"1\"}]}"));
        server.on("POST /api/now/table/incident", LoopbackServer.Response.json(201, "{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\"}}"));
        server.on("PATCH /api/now/table/incident/" + SYS_ID, LoopbackServer.Response.json(200, "{\"result\":{\"sys_id\":\"" + SYS_ID + "\"}}"));
        server.on("POST /api/now/attachment/file", LoopbackServer.Response.json(201, "{\"result\":{\"sys_id\":\"a1b2c3d4e5f60718293a4b5c6d7e8f90\"}}"));
        ServiceNowNotifier sink = new ServiceNowNotifier(config, Notes.http());

        Receipt created = sink.send(Notes.leak());
        Receipt updated = sink.send(Notes.leakUpdate());
        sink.send(Notes.leakResolved());

        assertThat(created.reference()).isEqualTo("INC0010001");
        assertThat(updated.reference()).isEqualTo("INC0010001");
        var requests = server.requests();
        LoopbackServer.Request lookup = requests.get(0);
        assertThat(lookup.method()).isEqualTo("GET");
        assertThat(URLDecoder.decode(lookup.query(), StandardCharsets.UTF_8))
                .contains("sysparm_query=correlation_id=ef192851-7a8c-fc1e-b38f-18b975c81f24", "sysparm_limit=1");
        assertThat(lookup.header("Accept")).isEqualTo("application/json");
        assertThat(new String(Base64.getDecoder().decode(lookup.header("Authorization").substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("oom.bot:" + PASSWORD);

        LoopbackServer.Request create = requests.get(1);
        assertThat(create.method()).isEqualTo("POST");
        JsonNode body = create.json();
        assertThat(body.path("correlation_id").asText()).isEqualTo("ef192851-7a8c-fc1e-b38f-18b975c81f24");
        assertThat(body.path("correlation_id").asText().length()).isLessThanOrEqualTo(100);
        assertThat(body.path("short_description").asText()).isEqualTo("Memory leak suspected in api-gateway");
        assertThat(body.path("description").asText()).contains("WHAT TO DO");
        assertThat(body.path("assignment_group").asText()).isEqualTo("Platform On-call");

        // the chart is attached to the new incident with the Attachment API, as a binary body
        LoopbackServer.Request attach = requests.get(2);
        assertThat(attach.method()).isEqualTo("POST");
        assertThat(attach.path()).isEqualTo("/api/now/attachment/file");
        assertThat(URLDecoder.decode(attach.query(), StandardCharsets.UTF_8))
                .contains("table_name=incident", "table_sys_id=" + SYS_ID, "file_name=memory-chart.png");
        assertThat(attach.header("Content-Type")).isEqualTo("image/png");
        assertThat(attach.body()).isEqualTo(Notes.leak().chartPng());
        assertThat(attach.header("Authorization")).startsWith("Basic ");

        // second send: looked up again, found, updated with work notes, not created twice
        assertThat(requests.stream().filter(r -> r.method().equals("POST") && r.path().endsWith("/incident")).count()).isEqualTo(1);
        LoopbackServer.Request update = requests.get(4);
        assertThat(update.method()).isEqualTo("PATCH");
        assertThat(update.json().path("work_notes").asText()).contains("UPDATE: MEMORY LEAK SUSPECTED");
        assertThat(update.json().has("state")).isFalse();

        JsonNode resolve = requests.get(6).json();
        assertThat(resolve.path("state").asText()).isEqualTo("6");
        assertThat(resolve.path("close_code").asText()).isEqualTo("Solution provided");
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new ServiceNowNotifier(config, Notes.http()), Notes.leak(), PASSWORD,
                Base64.getEncoder().encodeToString(("oom.bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
}
