package io.oomresponder.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.azuredevops.AzureDevOpsConfig;
import io.oomresponder.delivery.azuredevops.AzureDevOpsNotifier;
import io.oomresponder.delivery.jira.JiraConfig;
import io.oomresponder.delivery.jira.JiraNotifier;
import io.oomresponder.delivery.servicenow.ServiceNowConfig;
import io.oomresponder.delivery.servicenow.ServiceNowNotifier;
import io.oomresponder.delivery.teams.TeamsConfig;
import io.oomresponder.delivery.teams.TeamsNotifier;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26.4: each sink's own markup, from hostile log lines, reaches it as text only: ServiceNow
 * journal {@code [code]} tags, Jira wiki and ADF links, Azure DevOps HTML, Markdown and the Adaptive
 * Card. The lines are stderr console lines of the app, so every note shows them.
 */
class SinkMarkupTest {

    private static final List<String> HOSTILE = List.of(
            "[code]<a href=\"https://evil.example/x\">click here</a>[/code]",
            "[ CODE ]<img src=x onerror=alert(1)>[/ Code ] and <script>alert(2)</script>",
            "{code}x{code} [click|https://evil.example/jira] !https://evil.example/i.png! *bold* {html}<b>x</b>{html}",
            "[md link](https://evil.example/md) ![img](https://evil.example/i.png) **bold** <b>x</b> | a | b |",
            "```\n# heading\n``` </pre><iframe src=https://evil.example/f></iframe>");

    private static final Pattern CODE_TAG = Pattern.compile("(?i)\\[\\s*/?\\s*code");

    @Test
    void noSinkReceivesLiveMarkupFromTheAppsLogs() throws Exception {
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 11);
        EvidenceBundle truth = leak.truth();
        List<ConsoleLine> console = new ArrayList<>();
        Instant t = truth.alert().firedAt().minusSeconds(300);
        for (int i = 0; i < HOSTILE.size(); i++) {
            console.add(new ConsoleLine(t.plusSeconds(i), "rev", "replica-1", "app", "stderr", HOSTILE.get(i)));
        }
        EvidenceBundle bundle = new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), truth.app(), truth.replicas(),
                truth.metrics(), truth.systemLogs(), console, truth.gaps());
        RenderedNote note = new NoteRenderer(false).render(bundle, new Diagnoser().diagnose(bundle), NoteContext.newIncident());
        assertThat(note.text()).contains("click here", "onerror=alert(1)", "{html}");

        try (LoopbackServer server = new LoopbackServer()) {
            // ServiceNow, creating and then updating (work notes: a journal field).
            server.on("GET /api/now/table/incident", r -> LoopbackServer.Response.json(200, "{\"result\":[]}"));
            server.on("POST /api/now/table/incident", r -> LoopbackServer.Response.json(201, "{\"result\":{\"sys_id\":\"abc\",\"number\":\"INC1\"}}"));
            ServiceNowNotifier snow = new ServiceNowNotifier(new ServiceNowConfig(server.uri(""), "oom.bot", "pw", "Platform", true, "Solved"), Notes.http());
            snow.send(note);
            server.reset();
            server.on("GET /api/now/table/incident", r -> LoopbackServer.Response.json(200,
                    "{\"result\":[{\"sys_id\":\"0123456789abcdef0123456789abcdef\",\"number\":\"INC1\"}]}"));
            server.on("PATCH /api/now/table/incident/0123456789abcdef0123456789abcdef", r -> LoopbackServer.Response.json(200, "{\"result\":{}}"));
            snow.send(note);
            List<String> snowFields = new ArrayList<>();
            for (LoopbackServer.Request r : server.requests()) {
                if (r.method().equals("PATCH")) {
                    snowFields.add(Json.mapper().readTree(r.bodyText()).path("work_notes").asText());
                }
            }
            assertThat(snowFields).hasSize(1);
            assertThat(snowFields.get(0)).contains("click here", "\uFF3Bcode]");
            assertThat(CODE_TAG.matcher(snowFields.get(0)).find()).as("a [code] tag in ServiceNow work notes").isFalse();

            // Azure DevOps: HTML fields.
            server.reset();
            String ado = "/contoso/Fabrikam%20Fiber/_apis/wit";
            server.on("POST " + ado + "/wiql", r -> LoopbackServer.Response.json(200, "{\"queryType\":\"flat\",\"workItems\":[]}"));
            server.on("POST " + ado + "/attachments", r -> LoopbackServer.Response.json(201, "{\"id\":\"a1\",\"url\":\"https://dev.azure.com/contoso/_apis/wit/attachments/a1\"}"));
            server.on("POST " + ado + "/workitems/$Bug", r -> LoopbackServer.Response.json(200, "{\"id\":321,\"rev\":1}"));
            new AzureDevOpsNotifier(new AzureDevOpsConfig(server.uri("/contoso"), "Fabrikam Fiber", "pat", "Bug", null, true, "Closed"), Notes.http()).send(note);
            String adoBody = server.requests().stream().filter(r -> r.path().endsWith("/workitems/$Bug")).findFirst().orElseThrow().bodyText();
            String description = htmlFields(Json.mapper().readTree(adoBody));
            assertThat(description).contains("click here", "&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;")
                    .doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<iframe")
                    .doesNotContain("href=\"https://evil");

            // Jira: ADF, where log text is only ever a text node; no link mark points anywhere but https links we made.
            server.reset();
            server.on("POST /rest/api/3/search/jql", r -> LoopbackServer.Response.json(200, "{\"issues\":[],\"isLast\":true}"));
            server.on("POST /rest/api/3/issue", r -> LoopbackServer.Response.json(201, "{\"id\":\"10001\",\"key\":\"OPS-1\",\"self\":\"x\"}"));
            server.on("POST /rest/api/3/issue/OPS-1/attachments", r -> LoopbackServer.Response.json(200, "[{\"id\":\"1\"}]"));
            new JiraNotifier(new JiraConfig(server.uri(""), "oncall@example.com", "token", "OPS", "Bug", "Done"), Notes.http()).send(note);
            JsonNode issue = Json.mapper().readTree(server.requests().stream().filter(r -> r.path().equals("/rest/api/3/issue")).findFirst().orElseThrow().bodyText());
            List<String> hrefs = new ArrayList<>();
            StringBuilder texts = new StringBuilder();
            walkAdf(issue.path("fields").path("description"), hrefs, texts);
            assertThat(texts.toString()).contains("[click|https://evil.example/jira]", "{html}<b>x</b>{html}", "[md link](https://evil.example/md)");
            assertThat(hrefs).noneMatch(h -> h.contains("evil.example"));
            assertThat(issue.path("fields").path("summary").asText()).doesNotContain("evil.example");

            // Teams: the card shows log text in TextRuns only, and no action or link points at the hostile URLs.
            server.reset();
            server.on("POST /workflows/invoke", r -> LoopbackServer.Response.of(202, ""));
            new TeamsNotifier(new TeamsConfig(server.uri("/workflows/invoke?sig=x")), Notes.http()).send(note);
            JsonNode teams = Json.mapper().readTree(server.requests().get(0).bodyText());
            List<String> evilOutsideTextRuns = new ArrayList<>();
            walkCard(teams, false, evilOutsideTextRuns);
            assertThat(evilOutsideTextRuns).as("hostile URLs outside TextRuns in the card").isEmpty();
        }

        // Markdown (webhook, Event Grid, files): the log text stays inside code fences it cannot close.
        String md = note.markdown();
        boolean inFence = false;
        String fence = null;
        for (String line : md.split("\n")) {
            if (fence == null && line.startsWith("```")) {
                fence = line.replaceAll("[^`].*$", "");
                inFence = true;
                continue;
            }
            if (fence != null && line.equals(fence)) {
                fence = null;
                inFence = false;
                continue;
            }
            if (!inFence) {
                assertThat(line).as("markdown outside a fence").doesNotContain("evil.example", "<iframe", "<b>x</b>");
            }
        }
        assertThat(md).contains("https://evil.example/md");
    }

    private static String htmlFields(JsonNode patch) {
        StringBuilder b = new StringBuilder();
        for (JsonNode op : patch) {
            if (op.path("path").asText().equals("/fields/System.Description") || op.path("path").asText().equals("/fields/Microsoft.VSTS.TCM.ReproSteps")) {
                b.append(op.path("value").asText());
            }
        }
        return b.toString();
    }

    private static void walkAdf(JsonNode n, List<String> hrefs, StringBuilder texts) {
        if (n.isObject()) {
            if (n.path("type").asText().equals("text")) {
                texts.append(n.path("text").asText()).append('\n');
            }
            for (JsonNode m : n.path("marks")) {
                if (m.path("type").asText().equals("link")) {
                    hrefs.add(m.path("attrs").path("href").asText());
                }
            }
            n.fields().forEachRemaining(e -> walkAdf(e.getValue(), hrefs, texts));
        } else if (n.isArray()) {
            n.forEach(c -> walkAdf(c, hrefs, texts));
        }
    }

    private static void walkCard(JsonNode n, boolean inTextRun, List<String> found) {
        if (n.isObject()) {
            boolean run = n.path("type").asText().equals("TextRun");
            n.fields().forEachRemaining(e -> {
                if (e.getValue().isTextual() && e.getValue().asText().contains("evil.example") && !(run && e.getKey().equals("text"))) {
                    found.add(e.getKey() + ": " + e.getValue().asText());
                }
                walkCard(e.getValue(), run, found);
            });
        } else if (n.isArray()) {
            n.forEach(c -> walkCard(c, inTextRun, found));
        }
    }
}
