package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.json.Json;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.KqlLiterals;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input end to end: KQL-injection attempts in the names an alert carries never reach Azure
 * as code, and secrets and markup in the app's own logs, served by the fake Azure and read with the
 * real SDK clients, never appear unredacted or unescaped in any rendering of the note.
 */
class HostileInputTest {

    private static final String BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwcm9vZiJ9.cHJvb2Ytc2lnbmF0dXJlLXNlY3JldA";
    private static final String ACCOUNT_KEY = "c3VwZXJzZWNyZXRrZXlwcm9vZjEyMzQ1Njc4OTBhYmNkZWY=";
    private static final String SAS_SIG = "sv2026proofSignatureSecretAbCdEf0123456789%3D";
    private static final String PASSWORD = "hunter2-proof-password";
    private static final String HOSTILE_TAIL = " Authorization: Bearer " + BEARER
            + " DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=" + ACCOUNT_KEY + ";EndpointSuffix=core.windows.net"
            + " https://acct.blob.core.windows.net/c/b?sp=r&sig=" + SAS_SIG
            + " password=" + PASSWORD + " <script>alert('x')</script> <img src=x onerror=alert(1)> [click](javascript:alert(1)) | table |"
            + "\n```\n<script>alert('fence breakout')</script>\n```";

    /** Names that try to end the KQL literal or add operators, in every place an alert names the app. */
    static final List<String> INJECTIONS = List.of(
            "x' | take 1 //", "x\" | union *", "x'\n| project secret", "x'; .drop table ContainerAppConsoleLogs_CL",
            "x\\' or 1==1 //", "app' or '1'=='1", "ap p", "app|", "app\u0000", "app\r\nhost: evil", "..%2F..%2Fapp",
            "APP-UPPER", "app--with--dashes", "-leading-dash", "a".repeat(40), "app'", "app\"");

    @Test
    void kqlInjectionInTheAlertsNamesNeverReachesAzureAsCode() {
        SimulatedIncident probe = ScenarioCatalog.generate("leak/classic", 51, SimulatedApp.SMALL);
        // The workspace is configured, so Log Analytics is queried even for an app ARM does not know.
        try (SimulatedApp app = new SimulatedApp("leak/classic", 51, Map.of("LOG_ANALYTICS_WORKSPACE_ID", probe.truth().app().workspaceId()))) {
            var intake = app.intake();
            int refused = 0;
            List<String> acceptedNames = new ArrayList<>();
            for (String name : INJECTIONS) {
                IntakeResult r = intake.accept(withAppName(app.incident, name), Map.of("Content-Type", "application/json"));
                if (r instanceof IntakeResult.Accepted a) {
                    acceptedNames.add(name);
                    assertThat(a.alerts().get(0).alert().targetResourceId()).as("the name is what was accepted (ARM names are case-insensitive)").endsWithIgnoringCase("/" + name);
                    RecordingNotifier sink = new RecordingNotifier();
                    try (Responder responder = app.responder(app.evidence(), memoryStore(), List.of(sink))) {
                        responder.run(a.alerts().get(0), Progress.SILENT);
                    }
                } else {
                    refused++;
                    assertThat(r).isInstanceOfAny(IntakeResult.Rejected.class, IntakeResult.Ignored.class);
                }
            }
            System.out.printf("KQL injection: %d hostile names, %d refused at intake, accepted: %s, Log Analytics queries seen: %d%n",
                    INJECTIONS.size(), refused, acceptedNames, app.azure.logQueries().size());
            // Whatever got through, every query the fake Azure received has its literals closed and no
            // hostile text outside them.
            for (String query : app.azure.logQueries()) {
                KqlLiterals parsed = KqlLiterals.parse(query);
                for (String name : INJECTIONS) {
                    assertThat(parsed.code()).doesNotContain(name);
                }
            }
            assertThat(refused + acceptedNames.size()).isEqualTo(INJECTIONS.size());
            assertThat(acceptedNames).allSatisfy(n -> assertThat(n).matches("[A-Za-z0-9-]+"));
        }
    }

    @Test
    void secretsAndMarkupInTheAppsLogsNeverAppearUnredactedInAnyRendering() {
        SimulatedIncident leak = ScenarioCatalog.generate("leak/classic", 61, SimulatedApp.SMALL);
        EvidenceBundle hostile = withHostileLogs(leak.truth());
        io.oomresponder.testing.MutableClock clock = new io.oomresponder.testing.MutableClock(
                leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)));
        try (FakeAzure azure = FakeAzure.start(List.of(hostile), 0, clock)) {
            Map<String, String> values = new HashMap<>(azure.clientSettings());
            values.put("ALLOWED_SUBSCRIPTIONS", leak.truth().app().subscriptionId());
            Settings settings = new Settings(values);
            RecordingNotifier sink = new RecordingNotifier();
            var intake = new io.oomresponder.intake.AlertIntake(io.oomresponder.intake.ScopeGuard.fromSettings(settings), clock);
            var store = memoryStore();
            try (Responder responder = new Responder(io.oomresponder.evidence.azure.AzureEvidenceSource.fromSettings(settings, clock), store,
                    new io.oomresponder.note.NoteRenderer(), SinkRoutes.toAll(List.of(sink)),
                    new io.oomresponder.store.Redelivery(store, List.of(sink), null, io.oomresponder.store.RedeliveryPolicy.ofDefaults(), clock),
                    clock, "memory", intake)) {
                byte[] payload = Json.mapper().writeValueAsBytes(leak.alertPayload());
                IntakeResult.Accepted a = (IntakeResult.Accepted) intake.accept(payload, Map.of());
                AlertRun run = responder.run(a.alerts().get(0), Progress.SILENT);

                assertThat(run.bundle().consoleLogs()).as("the hostile lines did arrive as evidence")
                        .anySatisfy(l -> assertThat(l.message()).contains(PASSWORD));
                RenderedNote note = sink.notes.get(0);
                Map<String, String> renderings = Map.of("card", note.card().toString(), "markdown", note.markdown(),
                        "html", note.html(), "text", note.text(),
                        "webhook body", new String(Json.mapper().writeValueAsBytes(note.summary()), StandardCharsets.UTF_8));
                renderings.forEach((what, body) -> {
                    for (String secret : List.of(BEARER, ACCOUNT_KEY, SAS_SIG, PASSWORD)) {
                        assertThat(body).as(what + " must not carry " + secret).doesNotContain(secret);
                    }
                });
                assertThat(note.html()).doesNotContain("<script>").doesNotContain("<img src=x");
                // Log excerpts sit in fenced code blocks, where Markdown shows markup as text; outside them none may be live.
                String outsideFences = note.markdown().replaceAll("(?s)\n(`{3,})[a-z]*\n.*?\n\\1\n", "\n");
                assertThat(note.markdown().lines().filter(l -> l.startsWith("```")).count() % 2).as("fences balanced").isZero();
                assertThat(outsideFences).doesNotContain("<script>").doesNotContain("<img").doesNotContain("](javascript:");
                // In the card, log text may only sit in RichTextBlock TextRuns (never Markdown-rendered);
                // TextBlocks (which render Markdown) and link targets must carry none of it.
                List<String> textBlocks = new ArrayList<>();
                List<String> urls = new ArrayList<>();
                collect(note.card(), textBlocks, urls);
                assertThat(textBlocks).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain("javascript:").doesNotContain("<script>"));
                assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith("https://"));
                System.out.printf("secrets in logs: %d console lines and %d system events carried 4 secrets and markup; "
                                + "card %d B, markdown %d B, html %d B, text %d B: no secret, no live markup%n",
                        run.bundle().consoleLogs().size(), run.bundle().systemLogs().size(), note.card().toString().length(),
                        note.markdown().length(), note.html().length(), note.text().length());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, List<String> textBlocks, List<String> urls) {
        if (node.isObject()) {
            if ("TextBlock".equals(node.path("type").asText())) {
                textBlocks.add(node.path("text").asText());
            }
            if (node.has("url")) {
                urls.add(node.path("url").asText());
            }
        }
        node.forEach(child -> collect(child, textBlocks, urls));
    }

    private static EvidenceBundle withHostileLogs(EvidenceBundle b) {
        List<ConsoleLine> console = b.consoleLogs().stream().map(l -> new ConsoleLine(l.time(), l.revision(), l.replica(),
                l.container(), l.stream(), l.message() + HOSTILE_TAIL)).toList();
        List<SystemLogEvent> system = b.systemLogs().stream().map(e -> new SystemLogEvent(e.time(), e.revision(), e.replica(),
                e.reason(), e.type(), e.message() + HOSTILE_TAIL)).toList();
        return new EvidenceBundle(b.schemaVersion(), b.alert(), b.window(), b.app(), b.replicas(), b.metrics(), system, console, b.gaps());
    }

    /** The scenario's alert with the app's name replaced by {@code name} wherever the payload names the app. */
    private static byte[] withAppName(SimulatedIncident incident, String name) {
        try {
            String appId = incident.truth().app().resourceId();
            String appName = incident.truth().app().name();
            String hostileId = appId.substring(0, appId.lastIndexOf('/') + 1) + name;
            String json = Json.mapper().writeValueAsString(incident.alertPayload());
            String quotedId = Json.mapper().writeValueAsString(hostileId);
            String quotedName = Json.mapper().writeValueAsString(name);
            json = json.replaceAll("(?i)" + java.util.regex.Pattern.quote(Json.mapper().writeValueAsString(appId)),
                    java.util.regex.Matcher.quoteReplacement(quotedId));
            json = json.replace("\"" + appName + "\"", quotedName);
            ObjectNode copy = (ObjectNode) Json.mapper().readTree(json);
            ObjectNode essentials = (ObjectNode) copy.path("data").path("essentials");
            ArrayNode targets = essentials.putArray("alertTargetIDs");
            targets.add(hostileId);
            essentials.putArray("configurationItems").add(name);
            return Json.mapper().writeValueAsBytes(copy);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IncidentStore memoryStore() {
        return new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
    }
}
