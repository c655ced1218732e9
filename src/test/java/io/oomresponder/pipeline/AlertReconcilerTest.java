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
}
