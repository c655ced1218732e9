package io.oomresponder.delivery.azuredevops;

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

class AzureDevOpsNotifierTest {

    private static final String PAT = "adoPAT52charsXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    private final LoopbackServer server = new LoopbackServer();
    private final AzureDevOpsConfig config = new AzureDevOpsConfig(server.uri("/contoso"), "Fabrikam Fiber", PAT, "Bug", null, true, "Closed");

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createsAWorkItemWithJsonPatchAndChartThenCommentsAndClosesOnResolved() {
        String base = "/contoso/Fabrikam%20Fiber/_apis/wit";
        server.on("POST " + base + "/wiql",
                LoopbackServer.Response.json(200, "{\"queryType\":\"flat\",\"workItems\":[]}"),
                LoopbackServer.Response.json(200, "{\"queryType\":\"flat\",\"workItems\":[{\"id\":321,\"url\":\"x\"}]}"));
        server.on("POST " + base + "/attachments", LoopbackServer.Response.json(201,
                "{\"id\":\"a1\",\"url\":\"https://dev.azure.com/contoso/_apis/wit/attachments/a1?fileName=memory-chart.png\"}"));
        server.on("POST " + base + "/workitems/$Bug", LoopbackServer.Response.json(200, "{\"id\":321,\"rev\":1}"));
        server.on("POST " + base + "/workItems/321/comments", LoopbackServer.Response.json(200, "{\"id\":5}"));
        server.on("PATCH " + base + "/workitems/321", LoopbackServer.Response.json(200, "{\"id\":321,\"rev\":3}"));
        AzureDevOpsNotifier sink = new AzureDevOpsNotifier(config, Notes.http());

        Receipt first = sink.send(Notes.leak());
        Receipt second = sink.send(Notes.leakResolved());

        assertThat(first.reference()).isEqualTo("321");
        assertThat(second.reference()).isEqualTo("321");
        var r = server.requests();
        assertThat(r).extracting(x -> x.method() + " " + x.path()).containsExactly(
                "POST " + base + "/wiql", "POST " + base + "/attachments", "POST " + base + "/workitems/$Bug",
                "POST " + base + "/wiql", "POST " + base + "/workItems/321/comments", "PATCH " + base + "/workitems/321");

        assertThat(r.get(0).query()).isEqualTo("api-version=7.1");
        assertThat(new String(Base64.getDecoder().decode(r.get(0).header("Authorization").substring(6)), StandardCharsets.UTF_8)).isEqualTo(":" + PAT);
        assertThat(r.get(0).json().path("query").asText()).contains("[System.Tags] CONTAINS 'oom-alert-ef192851-7a8c-fc1e-b38f-18b975c81f24'");

        assertThat(r.get(1).header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.get(1).query()).isEqualTo("fileName=memory-chart.png&api-version=7.1");

        LoopbackServer.Request create = r.get(2);
        assertThat(create.header("Content-Type")).isEqualTo("application/json-patch+json");
        assertThat(create.query()).isEqualTo("api-version=7.1");
        JsonNode patch = create.json();
        assertThat(patch.isArray()).isTrue();
        patch.forEach(op -> assertThat(op.path("op").asText()).isEqualTo("add"));
        assertThat(patch).extracting(op -> op.path("path").asText()).contains("/fields/System.Title", "/fields/System.Description",
                "/fields/Microsoft.VSTS.TCM.ReproSteps", "/fields/System.Tags", "/relations/-");
        assertThat(patch.toString()).contains("oom-responder; oom-alert-ef192851", "\"rel\":\"AttachedFile\"", "<h3>Facts</h3>");

        assertThat(r.get(4).query()).isEqualTo("api-version=7.1-preview.4");
        assertThat(r.get(4).json().path("text").asText()).contains("<h2>Resolved: Memory leak suspected");
        assertThat(r.get(5).json().get(0).path("path").asText()).isEqualTo("/fields/System.State");
        assertThat(r.get(5).json().get(0).path("value").asText()).isEqualTo("Closed");
    }

    @Test
    void statusTableAndNoSecretInErrorsOrLogs() {
        NotifierKit.retryTableWithoutSecrets(server, () -> new AzureDevOpsNotifier(config, Notes.http()), Notes.leak(), PAT,
                Base64.getEncoder().encodeToString((":" + PAT).getBytes(StandardCharsets.UTF_8)));
    }
}
