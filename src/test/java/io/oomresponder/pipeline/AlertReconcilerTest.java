package io.oomresponder.pipeline;

import io.oomresponder.evidence.azure.AzureAlerts;
import io.oomresponder.evidence.azure.AzureClients;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.simulator.azure.RecordedRequest;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.InMemoryReceivedAlerts;
import io.oomresponder.store.ReceivedAlert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An alert lost at the door (the action group met a cold or failing endpoint and gave up) is found in
 * Azure Monitor's own list of fired alerts, served by the simulator's Alerts Management API, and
 * handled through the real pipeline with the real SDK clients; the app it was about is reported silent.
 */
class AlertReconcilerTest {

    final SimulatedApp app = new SimulatedApp("leak/classic", 21, Map.of());
    final InMemoryReceivedAlerts received = new InMemoryReceivedAlerts();
    final String subscription = app.incident.truth().app().subscriptionId();
    final String alertId = app.incident.truth().alert().id();

    AlertReconciler reconciler() {
        return reconciler(AlertReconciler.scopes(app.settings));
    }

    AlertReconciler reconciler(List<String> scopes) {
        return new AlertReconciler(new AzureAlerts(AzureClients.from(app.settings))::firedLastHour, received, scopes,
                ScopeGuard.fromSettings(app.settings), AlertReconciler.DEFAULT_GRACE, app.clock);
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void aFiredAlertThatNeverReachedTheIntakeIsFoundQueuedAndHandledAndItsAppReportedSilent() {
        AlertReconciler reconciler = reconciler();

        AlertReconciler.Report report = reconciler.sweep();

        assertThat(report.fired()).isEqualTo(1);
        assertThat(report.received()).isZero();
        assertThat(report.missing()).extracting(QueuedAlert::dedupeKey).containsExactly(alertId + "|Fired");
        assertThat(report.missing().get(0).alert().targetResourceId()).isEqualToIgnoringCase(app.incident.truth().app().resourceId());
        assertThat(report.silentApps()).singleElement().satisfies(s -> {
            assertThat(s.appResourceId()).isEqualToIgnoringCase(app.incident.truth().app().resourceId());
            assertThat(s.fired()).isEqualTo(1);
        });
        assertThat(app.azure.requests()).filteredOn(r -> r.rawPath().endsWith("/Microsoft.AlertsManagement/alerts"))
                .singleElement().extracting(RecordedRequest::rawQuery).asString()
                .contains("api-version=2023-07-12-preview").contains("timeRange=1h").contains("pageCount=250");

        // Handled as a queue worker would: receipt first, then the pipeline, against the simulated Azure.
        RecordingNotifier sink = new RecordingNotifier();
        Responder responder = app.responder(app.evidence(), InMemoryIncidentStore.fromSettings(app.settings), List.of(sink));
        QueuedAlert late = QueuedAlert.fromJson(report.missing().get(0).toJson());
        AlertReconciler.recordReceipt(received, late);
        ResponseOutcome outcome = responder.respond(late);

        assertThat(outcome.status()).isEqualTo(ResponseOutcome.Status.DELIVERED);
        assertThat(sink.notesFor(alertId)).isEqualTo(1);

        AlertReconciler.Report after = reconciler.sweep();
        assertThat(after.missing()).isEmpty();
        assertThat(after.received()).isEqualTo(1);
        assertThat(after.silentApps()).isEmpty();
        assertThat(reconciler.last()).isSameAs(after);
    }

    @Test
    void theListIsReadPerAllowedResourceGroupWhereTheInfraGrantsItsRoles() {
        String group = app.incident.truth().app().resourceGroup();
        List<String> scopes = AlertReconciler.scopes(app.settings.with(Map.of("ALLOWED_RESOURCE_GROUPS", group + ",rg-elsewhere")));
        assertThat(scopes).containsExactly("/subscriptions/" + subscription.toLowerCase(java.util.Locale.ROOT) + "/resourceGroups/" + group.toLowerCase(java.util.Locale.ROOT),
                "/subscriptions/" + subscription.toLowerCase(java.util.Locale.ROOT) + "/resourceGroups/rg-elsewhere");

        AlertReconciler.Report report = reconciler(scopes).sweep();

        assertThat(report.missing()).extracting(QueuedAlert::dedupeKey).containsExactly(alertId + "|Fired");
        assertThat(report.failures()).isEmpty();
    }

    @Test
    void anAlertThatArrivedIsNotQueuedAgain() {
        received.record(new ReceivedAlert(alertId + "|Fired", alertId, app.incident.truth().app().resourceId(), app.clock.instant().minusSeconds(300)));

        AlertReconciler.Report report = reconciler().sweep();

        assertThat(report.fired()).isEqualTo(1);
        assertThat(report.received()).isEqualTo(1);
        assertThat(report.missing()).isEmpty();
        assertThat(report.silentApps()).isEmpty();
    }

    @Test
    void anAlertStillInsideTheActionGroupsRetryWindowIsLeftAlone() {
        app.clock.set(app.incident.truth().alert().firedAt().plus(Duration.ofMinutes(2)));

        AlertReconciler.Report report = reconciler().sweep();

        assertThat(report.fired()).isZero();
        assertThat(report.missing()).isEmpty();
    }

    @Test
    void anAlertOlderThanAnHourIsOutOfAzureMonitorsWindow() {
        app.clock.set(app.incident.truth().alert().firedAt().plus(Duration.ofMinutes(61)));

        assertThat(reconciler().sweep().fired()).isZero();
    }

    @Test
    void anUnreadableListIsReportedNotThrown() {
        app.azure.faults().failAlways(io.oomresponder.simulator.azure.FakeEndpoint.ARM, io.oomresponder.simulator.azure.Fault.status(403));

        AlertReconciler.Report report = reconciler().sweep();

        assertThat(report.failures()).containsKey("/subscriptions/" + subscription.toLowerCase(java.util.Locale.ROOT));
        assertThat(report.missing()).isEmpty();
    }

    /** Runs intake decisions through the queue as the Function would: accepted alerts get their receipt, the rest travel as a receipts message. */
    private void throughTheQueue(io.oomresponder.intake.IntakeResult result) {
        if (result instanceof io.oomresponder.intake.IntakeResult.Accepted a) {
            a.alerts().forEach(q -> AlertReconciler.recordReceipt(received, QueuedAlert.fromJson(q.toJson())));
        }
        if (!result.receipts().isEmpty()) {
            String message = io.oomresponder.intake.IntakeReceipt.toMessage(result.receipts());
            AlertReconciler.recordReceipts(received, io.oomresponder.intake.IntakeReceipt.fromMessage(message).orElseThrow());
        }
    }

    @Test
    void aRateLimitedStormIsNotQueuedAgain() {
        io.oomresponder.intake.AlertIntake intake = new io.oomresponder.intake.AlertIntake(ScopeGuard.fromSettings(app.settings), app.clock, 2, Duration.ofMinutes(1));
        List<io.oomresponder.intake.AlertSignal> storm = new java.util.ArrayList<>();
        int limited = 0;
        for (int n = 0; n < 12; n++) {
            io.oomresponder.intake.IntakeResult r = intake.accept(app.payload(n), Map.of());
            throughTheQueue(r);
            limited += r instanceof io.oomresponder.intake.IntakeResult.Ignored i && i.reason().startsWith("rate limited") ? 1 : 0;
            io.oomresponder.intake.AlertSignal read = ((io.oomresponder.intake.IntakeResult.Accepted) intake.read(app.payload(n))).alerts().get(0).alert();
            // Get All names the app as the target (a workspace-scoped log alert would not be listed at all).
            storm.add(io.oomresponder.intake.AppByName.resolvedTo(read, io.oomresponder.intake.ContainerAppId.parse(app.incident.truth().app().resourceId())));
        }
        assertThat(limited).as("the intake held back all but two").isEqualTo(10);
        // Azure Monitor lists all twelve as fired (Alerts - Get All); five minutes on, the reconcile runs.
        app.clock.set(app.clock.instant().plus(Duration.ofMinutes(5)));
        AlertReconciler reconciler = new AlertReconciler(scope -> storm, received, AlertReconciler.scopes(app.settings),
                ScopeGuard.fromSettings(app.settings), AlertReconciler.DEFAULT_GRACE, app.clock);

        AlertReconciler.Report report = reconciler.sweep();

        assertThat(report.fired()).isEqualTo(12);
        assertThat(report.received()).isEqualTo(12);
        assertThat(report.missing()).as("not one alert of the storm is queued again").isEmpty();
        assertThat(received.since(app.clock.instant().minus(Duration.ofHours(1)), app.clock.instant()))
                .extracting(ReceivedAlert::outcome).containsOnly("accepted", "rate-limited").contains("rate-limited");
    }

    @Test
    void anAlertTheIntakeIgnoredIsNotQueuedAgain() {
        // A CPU alert on the app: the intake answers "ignored"; Azure Monitor lists it among the fired alerts.
        com.fasterxml.jackson.databind.node.ObjectNode cpu = io.oomresponder.json.Json.mapper().createObjectNode();
        try {
            cpu = (com.fasterxml.jackson.databind.node.ObjectNode) io.oomresponder.json.Json.mapper().readTree(app.payload(1));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        com.fasterxml.jackson.databind.node.ObjectNode context = (com.fasterxml.jackson.databind.node.ObjectNode) cpu.at("/data/alertContext");
        com.fasterxml.jackson.databind.node.ObjectNode essentials = (com.fasterxml.jackson.databind.node.ObjectNode) cpu.at("/data/essentials");
        essentials.put("monitoringService", "Platform").put("signalType", "Metric");
        essentials.putArray("alertTargetIDs").add(app.incident.truth().app().resourceId().toLowerCase(java.util.Locale.ROOT));
        context.removeAll();
        context.put("conditionType", "SingleResourceMultipleMetricCriteria");
        context.putObject("condition").putArray("allOf").addObject().put("metricName", "UsageNanoCores")
                .put("metricNamespace", "Microsoft.App/containerApps").put("operator", "GreaterThan").put("threshold", "1").put("metricValue", 2);
        io.oomresponder.intake.IntakeResult r = app.intake().accept(io.oomresponder.intake.AlertSamples.bytes(cpu), Map.of());
        assertThat(r).isInstanceOf(io.oomresponder.intake.IntakeResult.Ignored.class);
        throughTheQueue(r);
        String cpuAlertId = essentials.path("alertId").asText();
        io.oomresponder.intake.AlertSignal listed = new io.oomresponder.intake.AlertSignal(cpuAlertId, "cpu", io.oomresponder.intake.AlertSignal.Signal.Other,
                io.oomresponder.intake.AlertSignal.Condition.Fired, app.incident.truth().alert().firedAt(), null, app.incident.truth().app().resourceId(),
                null, "Sev3", null, null, null, Map.of(), null, null);
        app.clock.set(app.clock.instant().plus(Duration.ofMinutes(1)));
        AlertReconciler reconciler = new AlertReconciler(scope -> List.of(listed), received, AlertReconciler.scopes(app.settings),
                ScopeGuard.fromSettings(app.settings), Duration.ofMinutes(1), app.clock);

        AlertReconciler.Report report = reconciler.sweep();

        assertThat(report.fired()).isEqualTo(1);
        assertThat(report.missing()).isEmpty();
    }

    @Test
    void anOldAlertModifiedRecentlyIsNotQueued() {
        // Fired three hours ago, changed ten minutes ago: Get All (timeRange=1h) lists it by its lastModifiedDateTime.
        app.clock.set(app.incident.truth().alert().firedAt().plus(Duration.ofHours(3)));
        app.azure.world().modifyAlert(alertId, app.clock.instant().minus(Duration.ofMinutes(10)));
        String scope = AlertReconciler.scopes(app.settings).get(0);
        assertThat(new AzureAlerts(AzureClients.from(app.settings)).firedLastHour(scope))
                .as("the simulator lists it, as the spec allows").extracting(io.oomresponder.intake.AlertSignal::id).containsExactly(alertId);

        AlertReconciler.Report report = reconciler().sweep();

        assertThat(report.fired()).isZero();
        assertThat(report.missing()).as("its receipt, if any, is older than what the reconcile reads: never queued").isEmpty();
        assertThat(report.silentApps()).isEmpty();
    }

    @Test
    void theGraceOutlastsTheActionGroupsRetries() {
        // Five retries 75 s apart in all, each attempt allowed the 10 s older versions of Learn's page gave a call.
        Duration perAttempt = Duration.ofSeconds(10);
        Duration retrying = io.oomresponder.intake.ActionGroupRetries.retriesSpan()
                .plus(perAttempt.multipliedBy(io.oomresponder.intake.ActionGroupRetries.RETRY_DELAYS.size() + 1));
        assertThat(retrying).isEqualTo(Duration.ofSeconds(135));
        assertThat(AlertReconciler.DEFAULT_GRACE).isGreaterThan(retrying.plus(Duration.ofMinutes(1)));
    }
}
