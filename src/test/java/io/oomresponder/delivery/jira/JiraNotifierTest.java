package io.oomresponder.delivery.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.NotifierKit;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.Receipt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class JiraNotifierTest {

    private static final String TOKEN = "ATATT3xFfGF0jiraApiToken";
    private final LoopbackServer server = new LoopbackServer();
    private final JiraConfig config = new JiraConfig(server.uri(""), "oncall@example.com", TOKEN, "OPS", "Bug", "Done");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createsAnIssueWithAdfAndLabelThenCommentsAndTransitionsOnResolved() {
        server.on("POST /rest/api/3/search/jql",
                LoopbackServer.Response.json(200, "{\"issues\":[],\"isLast\":true}"),
                LoopbackServer.Response.json(200, "{\"issues\":[{\"id\":\"10001\",\"key\":\"OPS-42\"}],\"isLast\":true}"));
        server.on("POST /rest/api/3/issue", LoopbackServer.Response.json(201, "{\"id\":\"10001\",\"key\":\"OPS-42\",\"self\":\"x\"}"));
        server.on("POST /rest/api/3/issue/OPS-42/attachments", LoopbackServer.Response.json(200, "[{\"id\":\"1\"}]"));
        server.on("POST /rest/api/3/issue/OPS-42/comment", LoopbackServer.Response.json(201, "{\"id\":\"9\"}"));
        server.on("GET /rest/api/3/issue/OPS-42/transitions",
                LoopbackServer.Response.json(200, "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\"},{\"id\":\"31\",\"name\":\"Done\"}]}"));
        server.on("POST /rest/api/3/issue/OPS-42/transitions", LoopbackServer.Response.of(204, ""));
        JiraNotifier sink = new JiraNotifier(config, Notes.http());

        Receipt first = sink.send(Notes.leak());
        Receipt second = sink.send(Notes.leakResolved());

        assertThat(first.reference()).isEqualTo("OPS-42");
        assertThat(second.reference()).isEqualTo("OPS-42");
        var r = server.requests();
        assertThat(r).extracting(x -> x.method() + " " + x.path()).containsExactly(
                "POST /rest/api/3/search/jql", "POST /rest/api/3/issue", "POST /rest/api/3/issue/OPS-42/attachments",
                "POST /rest/api/3/search/jql", "POST /rest/api/3/issue/OPS-42/comment",
                "GET /rest/api/3/issue/OPS-42/transitions", "POST /rest/api/3/issue/OPS-42/transitions");

        assertThat(new String(Base64.getDecoder().decode(r.get(0).header("Authorization").substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("oncall@example.com:" + TOKEN);
        assertThat(r.get(0).json().path("jql").asText()).isEqualTo("project = \"OPS\" AND labels = \"oom-alert-ef192851-7a8c-fc1e-b38f-18b975c81f24\" ORDER BY created ASC");

        JsonNode fields = r.get(1).json().path("fields");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Bug");
        assertThat(fields.path("summary").asText()).isEqualTo("Memory leak suspected in api-gateway");
        assertThat(fields.path("labels")).extracting(JsonNode::asText).containsExactly("oom-responder", "oom-alert-ef192851-7a8c-fc1e-b38f-18b975c81f24");
        JsonNode adf = fields.path("description");
        assertThat(adf.path("type").asText()).isEqualTo("doc");
        assertThat(adf.path("version").asInt()).isEqualTo(1);
        assertThat(adf.toString()).contains("\"type\":\"codeBlock\"", "az containerapp update", "\"type\":\"link\"");
        assertNoEmptyText(adf);

        LoopbackServer.Request attachment = r.get(2);
        assertThat(attachment.header("X-Atlassian-Token")).isEqualTo("no-check");
        assertThat(attachment.header("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(attachment.bodyText()).contains("name=\"file\"; filename=\"memory-chart.png\"", "Content-Type: image/png");

        assertThat(r.get(4).json().path("body").path("type").asText()).isEqualTo("doc");
        assertThat(r.get(6).json().path("transition").path("id").asText()).isEqualTo("31");
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new JiraNotifier(config, Notes.http()), Notes.leak(), TOKEN,
                Base64.getEncoder().encodeToString(("oncall@example.com:" + TOKEN).getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertNoEmptyText(JsonNode node) {
        if ("text".equals(node.path("type").asText())) {
            assertThat(node.path("text").asText()).isNotEmpty();
        }
        node.forEach(JiraNotifierTest::assertNoEmptyText);
    }
}
