package io.oomresponder.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertSamples;
import io.oomresponder.intake.HostileCorpus;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every case of the hostile corpus through the AlertWebhook Function with Mockito'd runtime objects. */
class AlertWebhookCorpusTest {

    static final FunctionMocks.Queue QUEUE = new FunctionMocks.Queue();
    static final AlertWebhook FUNCTION = new AlertWebhook(() -> new AlertIntake(ScopeGuard.allowing(AlertSamples.SUBSCRIPTION), Clock.systemUTC()), () -> QUEUE);

    static List<HostileCorpus.Case> cases() {
        return HostileCorpus.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersEachPayloadExactly(HostileCorpus.Case c) throws Exception {
        FunctionMocks.Queue queue = QUEUE.reset();

        HttpResponseMessage res = FUNCTION.run(FunctionMocks.request(c.body(), Map.of()), FunctionMocks.context());

        assertThat(res.getStatus().value()).isEqualTo(c.status());
        JsonNode body = Json.mapper().readTree((String) res.getBody());
        if (c.kind().equals("accepted")) {
            assertThat(body.path("status").asText()).isEqualTo("accepted");
            assertThat(queue.value).hasSize(1);
        } else if (res.getStatus().value() == 202) {
            // Ignored: nothing for the pipeline; at most the receipts message the reconcile reads.
            assertThat(body).isEqualTo(c.expectedBody());
            if (queue.value != null) {
                assertThat(queue.value).singleElement().satisfies(m -> assertThat(io.oomresponder.intake.IntakeReceipt.fromMessage(m)).isPresent());
            }
        } else {
            assertThat(body).isEqualTo(c.expectedBody());
            assertThat(queue.value).isNull();
        }
    }
}
