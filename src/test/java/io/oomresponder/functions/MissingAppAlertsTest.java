package io.oomresponder.functions;

import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.oomresponder.config.Settings;
import io.oomresponder.evidence.azure.AzureEvidenceSource;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.pipeline.OperatorChannel;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.simulator.azure.FakeAzure;
import io.oomresponder.simulator.azure.FakeEndpoint;
import io.oomresponder.simulator.azure.Fault;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.TableIncidentStore;
import io.oomresponder.testing.AzuriteExtension;
import io.oomresponder.testing.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26: an alert for a container app that ARM says does not exist is not an incident. Through
 * the queue trigger ({@link RespondToAlert}, Mockito only for its ExecutionContext), with the real
 * SDK clients against the simulated Azure, the incident store on Azurite Table storage, and the
 * sinks as configured in production (Teams, PagerDuty and the operator's channel, each a loopback
 * HTTP endpoint): such alerts reach no incident sink, PagerDuty included, and the operator's
 * channel once per app and period across instances; a 403 on the app is still an incident note.
 */
@ExtendWith(AzuriteExtension.class)
class MissingAppAlertsTest {

    private static SimulatedIncident leak;
    private static MutableClock clock;
    private static FakeAzure azure;
    private static TableServiceClient tables;
    private static HttpServer sinks;
    /** Bodies posted per path: /teams (incident channel), /pagerduty, /operator. */
    private static final Map<String, List<String>> posts = new ConcurrentHashMap<>();
    /** What the operator's channel answers (a test makes it refuse). */
    private static volatile int operatorStatus = 202;

    private String prefix;

    @BeforeAll
    static void start(AzuriteExtension.Azurite azurite) throws Exception {
        leak = ScenarioCatalog.generate("leak/classic", 11);
        clock = new MutableClock(leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)));
        azure = FakeAzure.start(List.of(leak.truth()), 0, clock);
        tables = new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient();
        sinks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String path : List.of("/teams", "/pagerduty", "/operator")) {
            sinks.createContext(path, exchange -> {
                posts.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                        .add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] answer = path.equals("/pagerduty")
                        ? "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}".getBytes(StandardCharsets.UTF_8)
                        : new byte[0];
                exchange.sendResponseHeaders(path.equals("/operator") ? operatorStatus : 202, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
        }
        sinks.start();
    }

    @AfterAll
    static void stop() {
        azure.close();
        sinks.stop(0);
    }

    @BeforeEach
    void freshStoreAndSinks() {
        prefix = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        posts.clear();
        operatorStatus = 202;
        azure.faults().clear();
        clock.set(leak.truth().alert().firedAt().plus(Duration.ofMinutes(6)));
    }

    private static List<String> posted(String path) {
        return posts.getOrDefault(path, List.of());
    }

    private static Settings settings(boolean operatorChannel) {
        String base = "http://127.0.0.1:" + sinks.getAddress().getPort();
        Map<String, String> values = new HashMap<>(azure.clientSettings());
        values.put("ALLOWED_SUBSCRIPTIONS", leak.truth().app().subscriptionId());
        values.put("EVIDENCE_SOURCE_TIMEOUT", "PT60S");
        values.put("EVIDENCE_CALL_TIMEOUT", "PT20S");
        values.put("EVIDENCE_RETRY_DELAY", "PT0.05S");
        values.put("EVIDENCE_RETRY_MAX_DELAY", "PT0.2S");
        values.put("TEAMS_WEBHOOK_URL", base + "/teams");
        values.put("PAGERDUTY_ROUTING_KEY", "R0UTINGKEY0123456789012345678901");
        values.put("PAGERDUTY_EVENTS_URL", base + "/pagerduty");
        values.put("DELIVERY_MAX_ATTEMPTS", "1");
        if (operatorChannel) {
            values.put(OperatorChannel.WEBHOOK_URL, base + "/operator");
        }
        return new Settings(values);
    }

    /** One process's pipeline: production wiring from the settings, the store on Azurite under this test's prefix. */
    private Responder instance(Settings settings) {
        return Responder.with(settings, AzureEvidenceSource.fromSettings(settings, clock),
                new TableIncidentStore(tables, prefix, IncidentPolicy.ofDefaults(), Duration.ofMinutes(1)), clock);
    }

    /** The scenario's alert as notification {@code n}, about {@code appId} instead of the scenario's app. */
    private static byte[] alertAbout(String appId, int n) throws Exception {
        String original = leak.truth().app().resourceId();
        // Azure writes alertTargetIDs in lower case.
        String text = leak.alertPayload().toString().replace(original, appId).replace(original.toLowerCase(java.util.Locale.ROOT),
                appId.toLowerCase(java.util.Locale.ROOT));
        assertThat(text.toLowerCase(java.util.Locale.ROOT)).contains(appId.toLowerCase(java.util.Locale.ROOT));
        if (!appId.equals(original)) {
            assertThat(text.toLowerCase(java.util.Locale.ROOT)).doesNotContain(original.toLowerCase(java.util.Locale.ROOT));
        }
        ObjectNode payload = (ObjectNode) Json.mapper().readTree(text);
        ObjectNode essentials = (ObjectNode) payload.path("data").path("essentials");
        String id = essentials.path("alertId").asText();
        essentials.put("alertId", id.substring(0, id.lastIndexOf('/') + 1) + UUID.nameUUIDFromBytes((appId + n).getBytes(StandardCharsets.UTF_8)));
        return Json.mapper().writeValueAsBytes(payload);
    }

    /** Through intake and the queue trigger, as the Function app does; returns the pipeline's outcome. */
    private static ResponseOutcome deliverThroughTheQueue(Responder responder, Settings settings, byte[] payload) {
        IntakeResult accepted = new AlertIntake(ScopeGuard.fromSettings(settings), clock).accept(payload, Map.of("Content-Type", "application/json"));
        assertThat(accepted).isInstanceOf(IntakeResult.Accepted.class);
        List<ResponseOutcome> outcomes = new ArrayList<>();
        new RespondToAlert(m -> {
            ResponseOutcome o = responder.respond(m);
            outcomes.add(o);
            return o;
        }).run(((IntakeResult.Accepted) accepted).alerts().get(0).toJson(), FunctionMocks.context());
        return outcomes.get(0);
    }

    private static String appIn(String group, String name) {
        return "/subscriptions/" + leak.truth().app().subscriptionId() + "/resourceGroups/" + group + "/providers/Microsoft.App/containerApps/" + name;
    }

    @Test
    void repeatedAlertsForAnAppThatDoesNotExistReachNoIncidentSinkAndTheOperatorOnceAcrossInstances() throws Exception {
        String gone = appIn(leak.truth().app().resourceGroup(), "orders-deleted");
        Settings settings = settings(true);
        List<ResponseOutcome> outcomes = new ArrayList<>();
        try (Responder first = instance(settings); Responder second = instance(settings)) {
            for (int n = 1; n <= 4; n++) {
                outcomes.add(deliverThroughTheQueue(n % 2 == 1 ? first : second, settings, alertAbout(gone, n)));
            }
            assertThat(outcomes).extracting(ResponseOutcome::status).containsOnly(ResponseOutcome.Status.UNPROCESSABLE);
            assertThat(outcomes.get(0).detail()).contains("ResourceNotFound").contains("reported to the operator channel");
            assertThat(outcomes.subList(1, 4)).allSatisfy(o -> assertThat(o.detail()).contains("already reported within PT24H"));
            assertThat(posted("/teams")).as("the incident channel").isEmpty();
            assertThat(posted("/pagerduty")).as("no page").isEmpty();
            assertThat(posted("/operator")).singleElement().satisfies(body -> assertThat(body)
                    .contains("orders-deleted").contains("does not exist").contains("ResourceNotFound").contains("no incident was opened"));
            assertThat(first.store().incidents(gone, 10)).as("no incident recorded").isEmpty();
            assertThat(first.deliveryHealth()).containsEntry("missingAppAlerts", 2L).containsEntry("missingAppReports", 1L)
                    .containsEntry("operatorChannel", true);
            assertThat(second.deliveryHealth()).containsEntry("missingAppAlerts", 2L).containsEntry("missingAppReports", 0L);

            // The same alert delivered again by the queue is a duplicate, as any alert is.
            assertThat(deliverThroughTheQueue(second, settings, alertAbout(gone, 1)).status()).isEqualTo(ResponseOutcome.Status.DUPLICATE);

            // Once the period (OPERATOR_REPORT_PERIOD, P1D) is over, the next alert is reported again, once.
            clock.advance(OperatorChannel.DEFAULT_REPORT_PERIOD);
            assertThat(deliverThroughTheQueue(second, settings, alertAbout(gone, 5)).detail()).contains("reported to the operator channel");
            assertThat(deliverThroughTheQueue(first, settings, alertAbout(gone, 6)).detail()).contains("already reported");
            assertThat(posted("/operator")).hasSize(2);
            assertThat(posted("/teams")).isEmpty();
            assertThat(posted("/pagerduty")).isEmpty();
        }
    }

    @Test
    void anAppWhoseResourceGroupDoesNotExistIsReportedTheSameWay() throws Exception {
        String gone = appIn("rg-deleted", leak.truth().app().name());
        Settings settings = settings(true);
        try (Responder responder = instance(settings)) {
            ResponseOutcome first = deliverThroughTheQueue(responder, settings, alertAbout(gone, 1));
            ResponseOutcome again = deliverThroughTheQueue(responder, settings, alertAbout(gone, 2));
            assertThat(first.status()).isEqualTo(ResponseOutcome.Status.UNPROCESSABLE);
            assertThat(first.detail()).contains("ResourceGroupNotFound");
            assertThat(again.status()).isEqualTo(ResponseOutcome.Status.UNPROCESSABLE);
            assertThat(posted("/operator")).singleElement().satisfies(body -> assertThat(body).contains("resource group"));
            assertThat(posted("/teams")).isEmpty();
            assertThat(posted("/pagerduty")).isEmpty();
        }
    }

    @Test
    void withoutAnOperatorChannelSuchAlertsAreLoggedOnceCountedAndSentNowhere() throws Exception {
        String gone = appIn(leak.truth().app().resourceGroup(), "never-created");
        Settings settings = settings(false);
        try (Responder responder = instance(settings)) {
            List<ResponseOutcome> outcomes = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                outcomes.add(deliverThroughTheQueue(responder, settings, alertAbout(gone, n)));
            }
            assertThat(outcomes).extracting(ResponseOutcome::status).containsOnly(ResponseOutcome.Status.UNPROCESSABLE);
            assertThat(outcomes.get(0).detail()).contains("no operator channel is configured (OPERATOR_TEAMS_WEBHOOK_URL)")
                    .contains("only logged").doesNotContain("http");
            assertThat(outcomes.subList(1, 3)).allSatisfy(o -> assertThat(o.detail()).contains("already reported"));
            assertThat(responder.deliveryHealth()).containsEntry("missingAppAlerts", 3L).containsEntry("missingAppReports", 1L)
                    .containsEntry("operatorChannel", false);
        }
        assertThat(posts).as("nothing sent anywhere").isEmpty();
    }

    @Test
    void aRefusedReadOfTheAppIsStillAnIncidentNoteWithItsGaps() throws Exception {
        // 403 AuthorizationFailed says "or the scope is invalid": it does not tell a missing app from a missing role.
        azure.faults().failAlways(FakeEndpoint.ARM, Fault.status(403));
        Settings settings = settings(true);
        try (Responder responder = instance(settings)) {
            ResponseOutcome outcome = deliverThroughTheQueue(responder, settings, alertAbout(leak.truth().app().resourceId(), 1));
            assertThat(outcome.status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
            assertThat(posted("/teams")).hasSize(1);
            assertThat(posted("/pagerduty")).hasSize(1);
            assertThat(posted("/operator")).as("an incident, not the operator's business").isEmpty();
            assertThat(responder.deliveryHealth()).containsEntry("missingAppAlerts", 0L);
        } finally {
            azure.faults().clear();
        }
    }

    @Test
    void aResolvedAlertForAnAppThatDoesNotExistIsNoIncidentAndNoReport() throws Exception {
        String gone = appIn(leak.truth().app().resourceGroup(), "orders-deleted");
        Settings settings = settings(true);
        String resolved = new String(alertAbout(gone, 1), StandardCharsets.UTF_8);
        ObjectNode payload = (ObjectNode) Json.mapper().readTree(resolved);
        ((ObjectNode) payload.path("data").path("essentials")).put("monitorCondition", "Resolved")
                .put("resolvedDateTime", Instant.parse(payload.path("data").path("essentials").path("firedDateTime").asText()).plusSeconds(300).toString());
        try (Responder responder = instance(settings)) {
            ResponseOutcome outcome = deliverThroughTheQueue(responder, settings, Json.mapper().writeValueAsBytes(payload));
            assertThat(outcome.status()).as("no open incident to resolve").isEqualTo(ResponseOutcome.Status.IGNORED);
        }
        assertThat(posts).isEmpty();
    }

    @Test
    void aReportTheOperatorsChannelRefusedIsRedeliveredThereAndNowhereElse() throws Exception {
        String gone = appIn(leak.truth().app().resourceGroup(), "orders-deleted");
        Settings settings = settings(true);
        operatorStatus = 503;
        try (Responder responder = instance(settings)) {
            ResponseOutcome outcome = deliverThroughTheQueue(responder, settings, alertAbout(gone, 1));
            assertThat(outcome.status()).isEqualTo(ResponseOutcome.Status.UNPROCESSABLE);
            assertThat(outcome.detail()).contains("parked for redelivery");
            assertThat(responder.store().undelivered(io.oomresponder.store.UndeliveredNote.Status.PENDING))
                    .singleElement().satisfies(n -> assertThat(n.sink()).isEqualTo(OperatorChannel.SINK_NAME));

            operatorStatus = 202;
            clock.advance(Duration.ofMinutes(2));
            assertThat(responder.redeliverDue()).isEqualTo(1);
            assertThat(responder.store().undelivered(io.oomresponder.store.UndeliveredNote.Status.PENDING)).isEmpty();
        }
        assertThat(posted("/operator")).as("the refused attempt and the redelivery").hasSize(2);
        assertThat(posted("/teams")).isEmpty();
        assertThat(posted("/pagerduty")).isEmpty();
    }
}
