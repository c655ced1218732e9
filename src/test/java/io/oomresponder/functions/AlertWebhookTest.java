package io.oomresponder.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertWebhookTest {

    final AlertWebhook function = new AlertWebhook(() -> new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()));

    @Test
    void containerAppAlertIsQueuedWithItsDedupeKeyAndAnswered202() throws Exception {
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();
        byte[] body = AlertSamples.bytes(AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));

        HttpResponseMessage res = function.run(FunctionMocks.request(body, Map.of()), queue, FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(202);
        assertThat(queue.value).hasSize(1);
        QueuedAlert q = Json.mapper().readValue(queue.value.get(0), QueuedAlert.class);
        assertThat(q.dedupeKey()).isEqualTo(AlertSamples.ALERT_ID + "|Fired");
        assertThat(q.alert().targetResourceId()).isEqualTo(AlertSamples.APP_ID);
        JsonNode answer = Json.mapper().readTree((String) res.getBody());
        assertThat(answer.path("status").asText()).isEqualTo("accepted");
        assertThat(answer.at("/alerts/0/dedupeKey").asText()).isEqualTo(q.dedupeKey());
    }

    @Test
    void ignoredAlertIsAnswered202WithReasonAndNothingQueued() throws Exception {
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();
        HttpResponseMessage res = function.run(FunctionMocks.request(AlertSamples.bytes(AlertSamples.full()), Map.of()), queue, FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(202);
        assertThat(queue.value).isNull();
        assertThat(Json.mapper().readTree((String) res.getBody()))
                .isEqualTo(Json.mapper().readTree("{\"status\":\"ignored\",\"reason\":\"alert target is not a container app (microsoft.compute/virtualmachines)\"}"));
    }

    @Test
    void garbageIsAnswered400WithErrorAndField() throws Exception {
        FunctionMocks.Output<List<String>> queue = new FunctionMocks.Output<>();
        HttpResponseMessage res = function.run(FunctionMocks.request("{not json".getBytes(), Map.of()), queue, FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(400);
        assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(Json.mapper().readTree((String) res.getBody()))
                .isEqualTo(Json.mapper().readTree("{\"error\":\"request body is not valid JSON\",\"field\":\"body\"}"));
        assertThat(queue.value).isNull();
    }

    @Test
    void anUnexpectedFailureIsA500WithoutDetails() {
        AlertWebhook broken = new AlertWebhook(() -> {
            throw new IllegalStateException("secret internals");
        });
        HttpResponseMessage res = broken.run(FunctionMocks.request("{}".getBytes(), Map.of()), new FunctionMocks.Output<>(), FunctionMocks.context());
        assertThat(res.getStatus().value()).isEqualTo(500);
        assertThat((String) res.getBody()).doesNotContain("secret internals").doesNotContain("Exception");
    }
}
