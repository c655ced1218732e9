package io.oomresponder.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.cli.Main;
import io.oomresponder.config.Settings;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.delivery.Receipt;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.host.InProcessServe;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.note.RenderedNote;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.PlacedApps;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.azure.EnvironmentLogs;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every alert shape Azure sends about a container app reaches a note about that app, through the
 * Function (AlertWebhook, then RespondToAlert), through {@code serve} and through
 * {@code replay --payload}, with the real SDK clients against the simulator. The workspace-scoped log
 * alerts name the app only by name: the worker finds it in ARM's paged list, among a decoy of the
 * same name whose environment sends its logs to another workspace.
 */
class WorkspaceLogAlertsReachTheAppTest {

    private static final String SUB = AlertSamples.SUBSCRIPTION;
    private static final String ENV = PlacedApps.environment(SUB, "rg-apps-eus2", "cae-apps");
    private static final String DECOY_ENV = PlacedApps.environment(SUB, "rg-other", "cae-other");
    private static final String CUSTOMER_ID = "0a0a0a0a-1111-2222-3333-444444444444";

    private static FakeAzure azure;
    private static MutableClock clock;
    private static Instant firedAt;
    private static Settings settings;

    @BeforeAll
    static void start() {
        EvidenceBundle truth = ScenarioCatalog.generate("leak/classic", 7).truth();
        firedAt = truth.alert().firedAt();
        clock = new MutableClock(firedAt.plus(Duration.ofMinutes(6)));
        List<EvidenceBundle> apps = List.of(
                PlacedApps.place(truth, SUB, "rg-apps-eus2", "api-gateway", ENV, firedAt),
                PlacedApps.place(truth, SUB, "rg-other", "api-gateway", DECOY_ENV, firedAt),
                PlacedApps.place(truth, SUB, "rg-apps-eus2", "orders-api", ENV, firedAt));
        azure = FakeAzure.start(apps, 0, clock);
        azure.setContainerAppListPageSize(1);
        // The app's environment sends its logs to the alert's workspace; the decoy's to another one.
        azure.world().setEnvironmentLogs(ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-apps", AlertSamples.WORKSPACE_ID, CUSTOMER_ID, true, true, true))));
        azure.world().setEnvironmentLogs(DECOY_ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-other", AlertSamples.WORKSPACE_ID.replace("law-apps", "law-other"),
                        "0b0b0b0b-1111-2222-3333-444444444444", true, true, true))));
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", SUB);
        values.put("EVIDENCE_SOURCE_TIMEOUT", "PT8S");
        settings = new Settings(values);
    }

    @AfterAll
    static void stop() {
        azure.close();
    }

    /** The five shapes, each with its own alert id, fired when the simulated incident's alert fired. */
    private static Map<String, byte[]> shapes() {
        Map<String, ObjectNode> s = new LinkedHashMap<>();
        s.put("metric alert on the app", AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));
        s.put("workspace log alert, ContainerAppName", AlertSamples.workspaceScopedLogV2("ContainerAppName", null));
        s.put("workspace log alert, ContainerAppName_s", AlertSamples.workspaceScopedLogV2("ContainerAppName_s", null));
        s.put("workspace log alert, _ResourceId of the environment", AlertSamples.workspaceScopedLogV2("ContainerAppName", ENV.toLowerCase()));
        s.put("legacy log alert", AlertSamples.containerAppLegacyLog());
        Map<String, byte[]> out = new LinkedHashMap<>();
        s.forEach((name, payload) -> {
            ObjectNode essentials = (ObjectNode) payload.at("/data/essentials");
            essentials.put("alertId", "/subscriptions/" + SUB + "/providers/Microsoft.AlertsManagement/alerts/" + UUID.nameUUIDFromBytes(name.getBytes()));
            essentials.put("firedDateTime", firedAt.toString());
            essentials.put("monitorCondition", "Fired");
            essentials.remove("resolvedDateTime");
            if (payload.at("/data/alertContext/condition") instanceof ObjectNode condition && condition.has("windowStartTime")) {
                condition.put("windowStartTime", firedAt.minus(Duration.ofMinutes(5)).toString());
                condition.put("windowEndTime", firedAt.toString());
            }
            ObjectNode context = (ObjectNode) payload.at("/data/alertContext");
            if (context.has("SearchIntervalStartTimeUtc")) {
                context.put("SearchIntervalStartTimeUtc", firedAt.minus(Duration.ofMinutes(15)).toString());
                context.put("SearchIntervalEndtimeUtc", firedAt.toString());
            }
            out.put(name, AlertSamples.bytes(payload));
        });
        return out;
    }

    private static Responder responder(Notifier sink) {
        IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
        return new Responder(AzureEvidenceSource.fromSettings(settings, clock), store, new NoteRenderer(), SinkRoutes.toAll(List.of(sink)),
                new Redelivery(store, List.of(sink), null, RedeliveryPolicy.ofDefaults(), clock), clock, "test", intake());
    }

    private static AlertIntake intake() {
        return new AlertIntake(ScopeGuard.fromSettings(settings), clock);
    }

    /** Each shape with its own responder and store: a second alert on the app would join the first one's incident quietly. */
    @Test
    void throughTheFunctionEveryShapeReachesANoteAboutTheApp() {
        for (var shape : shapes().entrySet()) {
            Recording sink = new Recording();
            try (Responder responder = responder(sink)) {
                FunctionMocks.Queue queue = new FunctionMocks.Queue();
                AlertWebhook webhook = new AlertWebhook(WorkspaceLogAlertsReachTheAppTest::intake, () -> queue);
                RespondToAlert worker = new RespondToAlert(responder::respond);
                var answer = webhook.run(FunctionMocks.request(shape.getValue(), Map.of("Content-Type", "application/json")), FunctionMocks.context());
                assertThat(answer.getStatusCode()).as(shape.getKey()).isEqualTo(202);
                assertThat(queue.value).as(shape.getKey() + ": queued").hasSize(1);

                worker.run(queue.value.get(0), FunctionMocks.context());

                assertThat(sink.notes).as(shape.getKey()).hasSize(1);
                assertThat(sink.last().appResourceId()).as(shape.getKey()).isEqualToIgnoringCase(AlertSamples.APP_ID);
                assertThat(sink.last().title()).as(shape.getKey()).contains("api-gateway");
            }
        }
    }

    @Test
    void throughServeEveryShapeReachesANoteAboutTheApp() throws Exception {
        for (var shape : shapes().entrySet()) {
            Recording sink = new Recording();
            try (Responder responder = responder(sink);
                 InProcessServe serve = new InProcessServe(responder, intake(), 1, 100, Duration.ofMillis(50), null)) {
                assertThat(serve.postAlert(shape.getValue())).as(shape.getKey()).isEqualTo(202);

                assertThat(serve.awaitFinished(1, Duration.ofSeconds(60))).as(shape.getKey() + ": finished").isTrue();
                assertThat(serve.count(ResponseOutcome.Status.DELIVERED)).as(shape.getKey()).isEqualTo(1);
                assertThat(sink.notes).as(shape.getKey()).hasSize(1);
                assertThat(sink.last().appResourceId()).as(shape.getKey()).isEqualToIgnoringCase(AlertSamples.APP_ID);
            }
        }
    }

    @Test
    void throughReplayPayloadEveryShapeReachesANoteAboutTheApp(@TempDir Path tmp) throws Exception {
        for (var shape : shapes().entrySet()) {
            Path file = tmp.resolve(UUID.randomUUID() + ".json");
            Files.write(file, shape.getValue());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                exit = Main.run("replay", "--payload", file.toString(), "--simulate", "leak/classic", "--output", "text");
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
            String stdout = out.toString(StandardCharsets.UTF_8);
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(shape.getKey() + ": " + stderr).isZero();
            assertThat(stdout).as(shape.getKey()).contains("api-gateway").contains("[REPLAY]");
            if (shape.getKey().startsWith("workspace")) {
                assertThat(stderr).as(shape.getKey()).containsIgnoringCase("found " + AlertSamples.APP_ID);
            }
        }
    }

    @Test
    void anAppNoEnvironmentOfTheWorkspaceRunsGetsANoteNamingTheCandidates() {
        Recording sink = new Recording();
        try (Responder responder = responder(sink)) {
            ObjectNode payload = AlertSamples.workspaceScopedLogV2("ContainerAppName", null);
            ((ObjectNode) payload.at("/data/essentials")).put("firedDateTime", firedAt.toString());
            // The decoy's workspace: only the decoy sends its logs there, but ask for an app it does not run.
            ((ObjectNode) payload.at("/data/alertContext/condition/allOf/0/dimensions/0")).put("value", "orders-api");
            ((ObjectNode) payload.at("/data/essentials")).set("alertTargetIDs", Json.mapper().createArrayNode()
                    .add(AlertSamples.WORKSPACE_ID.replace("law-apps", "law-other")));
            var accepted = (io.oomresponder.intake.IntakeResult.Accepted) intake().accept(AlertSamples.bytes(payload), Map.of());

            ResponseOutcome outcome = responder.respond(accepted.alerts().get(0));

            assertThat(outcome.status()).isEqualTo(ResponseOutcome.Status.UNRESOLVED);
            assertThat(sink.notes).hasSize(1);
            assertThat(sink.last().text()).contains("orders-api").contains("law-other")
                    .contains("/containerApps/orders-api (environment cae-apps): its environment sends no logs to the alert's workspace");
        }
    }

    @Test
    void twoAppsOfTheNameInTheWorkspaceGetANoteNamingBoth() {
        Recording sink = new Recording();
        azure.world().setEnvironmentLogs(DECOY_ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                new EnvironmentLogs.DiagnosticSetting("to-law-apps", AlertSamples.WORKSPACE_ID, CUSTOMER_ID, true, true, true))));
        try (Responder responder = responder(sink)) {
            ObjectNode payload = AlertSamples.workspaceScopedLogV2("ContainerAppName", null);
            ((ObjectNode) payload.at("/data/essentials")).put("firedDateTime", firedAt.toString());
            var accepted = (io.oomresponder.intake.IntakeResult.Accepted) intake().accept(AlertSamples.bytes(payload), Map.of());

            ResponseOutcome outcome = responder.respond(accepted.alerts().get(0));

            assertThat(outcome.status()).isEqualTo(ResponseOutcome.Status.UNRESOLVED);
            assertThat(outcome.detail()).contains("2 container apps named api-gateway");
            assertThat(sink.last().text()).contains("rg-apps-eus2/providers/Microsoft.App/containerApps/api-gateway (environment cae-apps): matches")
                    .contains("rg-other/providers/Microsoft.App/containerApps/api-gateway (environment cae-other): matches")
                    .contains("EnvironmentName");
        } finally {
            azure.world().setEnvironmentLogs(DECOY_ENV, new EnvironmentLogs(EnvironmentLogs.AZURE_MONITOR, List.of(
                    new EnvironmentLogs.DiagnosticSetting("to-law-other", AlertSamples.WORKSPACE_ID.replace("law-apps", "law-other"),
                            "0b0b0b0b-1111-2222-3333-444444444444", true, true, true))));
        }
    }

    /** A sink that keeps every note. */
    static final class Recording implements Notifier {
        final List<RenderedNote> notes = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Receipt send(RenderedNote note) {
            notes.add(note);
            return new Receipt(name(), "rec-" + notes.size());
        }

        RenderedNote last() {
            return notes.isEmpty() ? null : notes.get(notes.size() - 1);
        }
    }
}
