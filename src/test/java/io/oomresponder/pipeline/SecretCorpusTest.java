package io.oomresponder.pipeline;

import io.oomresponder.delivery.LoopbackServer;
import io.oomresponder.delivery.Notes;
import io.oomresponder.delivery.Notifier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.azuredevops.AzureDevOpsConfig;
import io.oomresponder.delivery.azuredevops.AzureDevOpsNotifier;
import io.oomresponder.delivery.jira.JiraConfig;
import io.oomresponder.delivery.jira.JiraNotifier;
import io.oomresponder.delivery.pagerduty.PagerDutyConfig;
import io.oomresponder.delivery.pagerduty.PagerDutyNotifier;
import io.oomresponder.delivery.servicenow.ServiceNowConfig;
import io.oomresponder.delivery.servicenow.ServiceNowNotifier;
import io.oomresponder.delivery.teams.TeamsConfig;
import io.oomresponder.delivery.teams.TeamsNotifier;
import io.oomresponder.delivery.webhook.WebhookConfig;
import io.oomresponder.delivery.webhook.WebhookNotifier;
import io.oomresponder.diagnosis.Diagnoser;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteContext;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.Redactor;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16.3: the two redaction corpora. {@code secret-corpus.tsv} holds log lines that each carry
 * one secret (the shapes of the issue: {@code DB_PASSWORD=}, {@code {"DB_PASSWORD":"…"}},
 * {@code sk_live_…}, and 90-odd more); each secret must be gone from every rendering: text,
 * markdown, HTML, the Adaptive Card, the webhook and Event Grid summary, the replay's JSON answer, and
 * the bodies that Jira, Azure DevOps, ServiceNow, PagerDuty, Teams and the webhook actually receive.
 * {@code ordinary-log-lines.txt} must come through unchanged.
 */
public class SecretCorpusTest {

    /** A note shows this many console lines; the corpus is rendered in notes of this many secrets. */
    private static final int PER_NOTE = 8;

    record Case(int n, String secret, String line) {
    }

    static List<Case> secrets() {
        List<Case> cases = new ArrayList<>();
        for (String l : resource("secret-corpus.tsv")) {
            int tab = l.indexOf('\t');
            cases.add(new Case(cases.size(), l.substring(0, tab), l.substring(tab + 1)));
        }
        return cases;
    }

    static List<String> resource(String name) {
        try (InputStream in = Redactor.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCorpusHasAtLeastOneHundredFiftySecretShapesAndTheIssuesOwn() {
        List<Case> cases = secrets();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        // Issue 26's shapes.
        assertThat(cases).extracting(Case::line).anyMatch(l -> l.contains("https://outlook.office.com/webhook/") && l.contains("/IncomingWebhook/"))
                .anyMatch(l -> l.contains("curl -sS -u admin:")).anyMatch(l -> l.contains("mysql -h db.internal -u app -p"))
                .anyMatch(l -> l.contains("password: correct horse battery staple")).anyMatch(l -> l.startsWith("{\"name\":\"DB_PASSWORD\",\"value\":"))
                .anyMatch(l -> l.startsWith("Authorization: OAuth ")).anyMatch(l -> l.contains("Authorization: SSWS "))
                .anyMatch(l -> l.contains("Authorization: Splunk ")).anyMatch(l -> l.startsWith("authorization: Key "))
                .anyMatch(l -> l.contains("\\u0026sig=")).anyMatch(l -> l.contains("redis://:")).anyMatch(l -> l.contains("amqp://svc:") && l.contains("@rabbit"))
                .anyMatch(l -> l.startsWith("PGPASSWORD=")).anyMatch(l -> l.startsWith("dbpassword=")).anyMatch(l -> l.startsWith("accesstoken:"))
                .anyMatch(l -> l.startsWith("clientsecret="));
        assertThat(cases).extracting(Case::line).anyMatch(l -> l.startsWith("DB_PASSWORD=")).anyMatch(l -> l.startsWith("POSTGRES_PASSWORD: "))
                .anyMatch(l -> l.startsWith("AZURE_CLIENT_SECRET=")).anyMatch(l -> l.startsWith("JIRA_API_TOKEN="))
                .anyMatch(l -> l.startsWith("ADO_PAT=")).anyMatch(l -> l.startsWith("AWS_SECRET_ACCESS_KEY="))
                .anyMatch(l -> l.startsWith("SECRET_KEY_BASE=")).anyMatch(l -> l.startsWith("{\"DB_PASSWORD\":\""))
                .anyMatch(l -> l.contains("sk_live_"));
    }

    @Test
    void everySecretLineLosesItsSecretAndOrdinaryLinesSurviveUnchanged() {
        List<String> leaked = new ArrayList<>();
        for (Case c : secrets()) {
            String redacted = Redactor.redact(c.line(), 10_000);
            if (redacted.contains(c.secret()) || !redacted.contains(Redactor.MASK)) {
                leaked.add(c.n() + ": " + c.line());
            }
        }
        assertThat(leaked).as("secret lines whose secret survived").isEmpty();

        List<String> changed = new ArrayList<>();
        for (String line : resource("ordinary-log-lines.txt")) {
            String redacted = Redactor.redact(line);
            if (!redacted.equals(line)) {
                changed.add(line + "\n   became " + redacted);
            }
        }
        assertThat(changed).as("ordinary lines that were changed").isEmpty();
        assertThat(resource("ordinary-log-lines.txt")).hasSizeGreaterThanOrEqualTo(100);
    }

    @Test
    void noSecretOfTheCorpusReachesAnyRenderingOrAnySinksBody() throws Exception {
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 11);
        List<Case> cases = secrets();
        Map<String, Integer> checked = new LinkedHashMap<>();
        try (LoopbackServer server = new LoopbackServer()) {
            List<Notifier> sinks = List.of(
                    new JiraNotifier(new JiraConfig(server.uri(""), "oncall@example.com", "jira-token-x", "OPS", "Bug", "Done"), Notes.http()),
                    new AzureDevOpsNotifier(new AzureDevOpsConfig(server.uri("/contoso"), "Fabrikam Fiber", "ado-pat-x", "Bug", null, true, "Closed"), Notes.http()),
                    new ServiceNowNotifier(new ServiceNowConfig(server.uri(""), "oom.bot", "snow-pw-x", "Platform On-call", true, "Solution provided"), Notes.http()),
                    new PagerDutyNotifier(new PagerDutyConfig(server.uri("/v2/enqueue"), "pd-routing-key-x"), Notes.http()),
                    new WebhookNotifier(new WebhookConfig(server.uri("/hooks/oom"), "webhook-secret-x"), Notes.http()),
                    new TeamsNotifier(new TeamsConfig(server.uri("/workflows/invoke?sig=teams-sig-x")), Notes.http()));
            for (int from = 0; from < cases.size(); from += PER_NOTE) {
                List<Case> chunk = cases.subList(from, Math.min(cases.size(), from + PER_NOTE));
                EvidenceBundle bundle = carrying(leak.truth(), chunk);
                RenderedNote note = new NoteRenderer(false).render(bundle, new Diagnoser().diagnose(bundle), NoteContext.newIncident());
                for (Case c : chunk) {
                    assertThat(note.text()).as("case %d is shown in the note (so its absence means redaction)", c.n()).contains("case-" + c.n() + " ");
                }
                Map<String, String> renderings = new LinkedHashMap<>();
                renderings.put("text", note.text());
                renderings.put("markdown", note.markdown());
                renderings.put("html", note.html());
                renderings.put("adaptive card", note.card().toString());
                renderings.put("summary JSON", Json.mapper().writeValueAsString(note.summary()));
                renderings.put("replay JSON answer", replayAnswer(leak, bundle));
                answerAsTicketSystems(server);
                for (Notifier sink : sinks) {
                    sink.send(note);
                }
                for (LoopbackServer.Request r : server.requests()) {
                    renderings.merge("sink bodies", r.method() + " " + r.path() + "\n" + r.bodyText() + "\n", String::concat);
                }
                assertThat(renderings.get("sink bodies")).contains("/rest/api/3/issue", "/workitems/$Bug", "/api/now/table/incident", "/v2/enqueue", "/hooks/oom", "/workflows/invoke");
                renderings.forEach((what, body) -> {
                    for (Case c : chunk) {
                        assertThat(body).as("%s must not carry case %d (%s)", what, c.n(), c.line()).doesNotContain(c.secret());
                    }
                    checked.merge(what, chunk.size(), Integer::sum);
                });
            }
        }
        System.out.printf("secret corpus: %d secrets, each absent from %s%n", cases.size(), checked);
        assertThat(checked.values()).allMatch(n -> n == cases.size());
    }

    @Test
    void aPrivateKeyLoggedOneLinePerRecordIsMaskedWholeInEveryRendering() throws Exception {
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 11);
        EvidenceBundle truth = leak.truth();
        String[] body = {"MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKB",
                "xIuOAdqvUVFhcbBa4QcwzgmpusheKDtIg3BpusGJm0jYjMMxJJa9v5NRlC7tq9Iz",
                "wPlTIrAu9hp4qMSB5ZXcUWQs0OZjT3sPqFsRo7Nsi2Ws3XsbqG9eGI5u6JRc0Z9K"};
        List<ConsoleLine> console = new ArrayList<>();
        Instant t = truth.alert().firedAt().minusSeconds(300);
        List<String> keyLines = new ArrayList<>();
        keyLines.add("-----BEGIN PRIVATE KEY-----");
        keyLines.addAll(List.of(body));
        keyLines.add("-----END PRIVATE KEY-----");
        for (int i = 0; i < keyLines.size(); i++) {
            console.add(new ConsoleLine(t.plusSeconds(i), "rev", "replica-1", "app", "stderr", keyLines.get(i)));
            // Another replica's lines in between belong to no block.
            console.add(new ConsoleLine(t.plusSeconds(i), "rev", "replica-2", "app", "stderr", "replica-2 line " + i + " MIIEvQIB is not a key here"));
        }
        console.add(new ConsoleLine(t.plusSeconds(30), "rev", "replica-1", "app", "stderr", "after the block: connection reset"));
        EvidenceBundle bundle = new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), truth.app(), truth.replicas(),
                truth.metrics(), truth.systemLogs(), console, truth.gaps());
        RenderedNote note = new NoteRenderer(false).render(bundle, new Diagnoser().diagnose(bundle), NoteContext.newIncident());
        Map<String, String> renderings = Map.of("text", note.text(), "markdown", note.markdown(), "html", note.html(),
                "adaptive card", note.card().toString(), "summary JSON", Json.mapper().writeValueAsString(note.summary()));
        renderings.forEach((what, r) -> {
            for (String b : body) {
                assertThat(r).as("%s must not carry the key's body", what).doesNotContain(b.substring(0, 20));
            }
            assertThat(r).as(what).contains("private key block", "replica-2 line 3", "after the block: connection reset");
        });
    }

    /** The scenario's bundle with each case as a stderr console line and a warning system event. */
    private static EvidenceBundle carrying(EvidenceBundle truth, List<Case> chunk) {
        List<ConsoleLine> console = new ArrayList<>();
        List<SystemLogEvent> system = new ArrayList<>();
        Instant t = truth.alert().firedAt().minusSeconds(600);
        for (Case c : chunk) {
            String line = "case-" + c.n() + " " + c.line();
            console.add(new ConsoleLine(t.plusSeconds(c.n()), "rev", "replica-1", "app", "stderr", line));
            system.add(new SystemLogEvent(t.plusSeconds(c.n()), "rev", "replica-1", "ContainerTerminated", "Warning", line));
        }
        return new EvidenceBundle(truth.schemaVersion(), truth.alert(), truth.window(), truth.app(), truth.replicas(), truth.metrics(),
                system, console, truth.gaps());
    }

    /** What {@code POST /api/replay} answers for this bundle (a dry run). */
    private static String replayAnswer(SimulatedIncident leak, EvidenceBundle bundle) throws Exception {
        Clock clock = Clock.fixed(leak.truth().alert().firedAt().plusSeconds(600), ZoneOffset.UTC);
        IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
        ObjectNode request = Json.mapper().createObjectNode();
        request.set("payload", leak.alertPayload());
        request.set("evidence", Json.mapper().valueToTree(bundle));
        try (Responder responder = new Responder(a -> bundle.withAlert(a), store, new NoteRenderer(false), SinkRoutes.toAll(List.of()),
                new Redelivery(store, List.of(), null, RedeliveryPolicy.ofDefaults(), clock), clock, "memory",
                new AlertIntake(ScopeGuard.allowing(leak.truth().app().subscriptionId()), clock))) {
            return responder.replay(request.toString().getBytes(StandardCharsets.UTF_8), ReplayPermission.DRY_RUN_ONLY);
        }
    }

    /** Makes the loopback server answer as Jira, Azure DevOps, ServiceNow, PagerDuty, a webhook and Teams would. */
    private static void answerAsTicketSystems(LoopbackServer server) {
        server.reset();
        server.on("POST /rest/api/3/search/jql", r -> LoopbackServer.Response.json(200, "{\"issues\":[],\"isLast\":true}"));
        server.on("POST /rest/api/3/issue", r -> LoopbackServer.Response.json(201, "{\"id\":\"10001\",\"key\":\"OPS-42\",\"self\":\"x\"}"));
        server.on("POST /rest/api/3/issue/OPS-42/attachments", r -> LoopbackServer.Response.json(200, "[{\"id\":\"1\"}]"));
        String ado = "/contoso/Fabrikam%20Fiber/_apis/wit";
        server.on("POST " + ado + "/wiql", r -> LoopbackServer.Response.json(200, "{\"queryType\":\"flat\",\"workItems\":[]}"));
        server.on("POST " + ado + "/attachments", r -> LoopbackServer.Response.json(201, "{\"id\":\"a1\",\"url\":\"https://dev.azure.com/contoso/_apis/wit/attachments/a1\"}"));
        server.on("POST " + ado + "/workitems/$Bug", r -> LoopbackServer.Response.json(200, "{\"id\":321,\"rev\":1}"));
        server.on("GET /api/now/table/incident", r -> LoopbackServer.Response.json(200, "{\"result\":[]}"));
        server.on("POST /api/now/table/incident", r -> LoopbackServer.Response.json(201, "{\"result\":{\"sys_id\":\"abc\",\"number\":\"INC0010001\"}}"));
        server.on("POST /v2/enqueue", r -> LoopbackServer.Response.json(202, "{\"status\":\"success\",\"dedup_key\":\"k\"}"));
        server.on("POST /hooks/oom", r -> LoopbackServer.Response.json(200, "{}"));
        server.on("POST /workflows/invoke", r -> LoopbackServer.Response.of(202, ""));
    }
}
