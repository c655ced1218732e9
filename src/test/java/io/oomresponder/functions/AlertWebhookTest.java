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

    final FunctionMocks.Queue queue = new FunctionMocks.Queue();
    final AlertWebhook function = new AlertWebhook(() -> new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()), () -> queue);

    @Test
    void containerAppAlertIsQueuedWithItsDedupeKeyAndAnswered202() throws Exception {
        byte[] body = AlertSamples.bytes(AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));

        HttpResponseMessage res = function.run(FunctionMocks.request(body, Map.of()), FunctionMocks.context());

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
    void ignoredAlertIsAnswered202WithReasonAndOnlyItsReceiptQueued() throws Exception {
        HttpResponseMessage res = function.run(FunctionMocks.request(AlertSamples.bytes(AlertSamples.full()), Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(202);
        // No alert for the pipeline: one receipts message, so the reconcile never queues this alert later.
        assertThat(queue.value).singleElement().satisfies(m -> assertThat(io.oomresponder.intake.IntakeReceipt.fromMessage(m)).hasValueSatisfying(
                r -> assertThat(r).singleElement().satisfies(one -> {
                    assertThat(one.outcome()).isEqualTo(io.oomresponder.intake.IntakeReceipt.IGNORED);
                    assertThat(one.dedupeKey()).endsWith("|Resolved").startsWith(AlertSamples.full().at("/data/essentials/alertId").asText());
                })));
        assertThat(Json.mapper().readTree((String) res.getBody()))
                .isEqualTo(Json.mapper().readTree("{\"status\":\"ignored\",\"reason\":\"alert target is not a container app (microsoft.compute/virtualmachines)\"}"));
    }

    @Test
    void garbageIsAnswered400WithErrorAndField() throws Exception {
        HttpResponseMessage res = function.run(FunctionMocks.request("{not json".getBytes(), Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(400);
        assertThat(res.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(Json.mapper().readTree((String) res.getBody()))
                .isEqualTo(Json.mapper().readTree("{\"error\":\"request body is not valid JSON\",\"field\":\"body\"}"));
        assertThat(queue.value).isNull();
    }

    @Test
    void aQueueThatDoesNotTakeTheAlertIsAnswered503WithRetryAfterNever500() throws Exception {
        queue.refuse = true;
        byte[] body = AlertSamples.bytes(AlertSamples.containerAppMetric("alert-context-metric-static-threshold.json", "WorkingSetBytes"));

        HttpResponseMessage res = function.run(FunctionMocks.request(body, Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(503);
        assertThat(res.getHeader("Retry-After")).isEqualTo(String.valueOf(io.oomresponder.intake.HttpAnswer.RETRY_AFTER_SECONDS));
        assertThat(Json.mapper().readTree((String) res.getBody()).path("error").asText()).contains("retry later");
        assertThat(queue.value).isNull();
    }

    @Test
    void anUnexpectedFailureIsA503WithRetryAfterAndNoDetailsBecauseActionGroupsNeverRetryA500() {
        AlertWebhook broken = new AlertWebhook(() -> {
            throw new IllegalStateException("secret internals");
        }, () -> queue);
        HttpResponseMessage res = broken.run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(res.getStatus().value()).isEqualTo(503);
        assertThat(res.getHeader("Retry-After")).isEqualTo(String.valueOf(io.oomresponder.intake.HttpAnswer.RETRY_AFTER_SECONDS));
        assertThat((String) res.getBody()).doesNotContain("secret internals").doesNotContain("Exception");
    }

    @Test
    void aSettingThatBreaksStartUpIsA503TooNotAnEscapingError() {
        AlertWebhook broken = new AlertWebhook(() -> {
            throw new ExceptionInInitializerError("INTAKE_QUEUE_TIMEOUT must be an ISO-8601 duration");
        }, () -> queue);
        HttpResponseMessage res = broken.run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(res.getStatus().value()).isEqualTo(503);
    }
}
