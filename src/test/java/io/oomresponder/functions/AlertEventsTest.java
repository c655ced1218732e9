package io.oomresponder.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class AlertEventsTest {

    final AlertEvents function = new AlertEvents(() -> new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()));

    @Test
    void eventGridEventWithAnAlertIsQueuedLikeTheWebhookDoes() {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("id", "e1").put("subject", "alerts").put("eventType", "Contoso.Alerts.AlertFired")
                .put("eventTime", "2026-11-27T09:00:00Z").put("dataVersion", "1.0");
        event.set("data", AlertSamples.containerAppLogV2());
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();

        function.run(event.toString(), queue, FunctionMocks.context());

        assertThat(queue.value).hasSize(1);
        assertThat(QueuedAlert.fromJson(queue.value.get(0)).dedupeKey()).isEqualTo(AlertSamples.ALERT_ID + "|Fired");
    }

    @Test
    void cloudEventWithAnAlertIsQueued() {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("specversion", "1.0").put("id", "c1").put("source", "/contoso").put("type", "Contoso.Alerts.AlertFired");
        event.set("data", AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();

        function.run(event.toString(), queue, FunctionMocks.context());

        assertThat(queue.value).hasSize(1);
    }

    @Test
    void badEventsAreLoggedNotThrownBecauseARetryWouldNotFixThem() {
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();
        assertThatCode(() -> function.run("{\"id\":\"1\",\"eventType\":\"x\",\"data\":", queue, FunctionMocks.context())).doesNotThrowAnyException();
        assertThatCode(() -> function.run(null, queue, FunctionMocks.context())).doesNotThrowAnyException();
        assertThat(queue.value).isNull();
    }
}
