package io.oomresponder.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.delivery.Notifier;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.ScopeGuard;
import io.oomresponder.json.Json;
import io.oomresponder.note.NoteRenderer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.SinkRoutes;
import io.oomresponder.simulator.ScenarioCatalog;
import io.oomresponder.simulator.SimulatedIncident;
import io.oomresponder.store.InMemoryIncidentStore;
import io.oomresponder.store.IncidentPolicy;
import io.oomresponder.store.IncidentStore;
import io.oomresponder.store.Redelivery;
import io.oomresponder.store.RedeliveryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayTest {

    /**
     * The function over the real pipeline (evidence served from each scenario's saved truth, nothing
     * delivered): the note it answers with is the one for the alert in the request, so two different
     * incidents get two different verdicts, each the scenario's own, and nothing is delivered.
     */
    @Test
    void replayAnswers200WithTheNote() throws Exception {
        for (String scenario : List.of("leak/classic", "other/probe")) {
            SimulatedIncident incident = ScenarioCatalog.generate(scenario, 11);
            List<String> gatheredFor = new ArrayList<>();
            Clock clock = Clock.fixed(incident.truth().alert().firedAt().plusSeconds(600), ZoneOffset.UTC);
            IncidentStore store = new InMemoryIncidentStore(IncidentPolicy.ofDefaults(), IncidentStore.DEFAULT_CLAIM_LEASE);
            List<String> sent = new ArrayList<>();
            List<Notifier> sinks = List.of(new Notifier() {
                @Override
                public String name() {
                    return "teams";
                }

                @Override
                public io.oomresponder.delivery.Receipt send(io.oomresponder.note.RenderedNote note) {
                    sent.add(note.alertId());
                    return new io.oomresponder.delivery.Receipt("teams", "1");
                }
            });
            try (Responder responder = new Responder(alert -> {
                gatheredFor.add(alert.id());
                return incident.truth().withAlert(alert);
            }, store, new NoteRenderer(false), SinkRoutes.toAll(sinks), new Redelivery(store, sinks, null, RedeliveryPolicy.ofDefaults(), clock),
                    clock, "memory", new AlertIntake(ScopeGuard.allowing(incident.truth().app().subscriptionId()), clock))) {
                Replay function = new Replay(responder::replay);
                ObjectNode request = Json.mapper().createObjectNode();
                request.set("payload", incident.alertPayload());
                HttpResponseMessage res = function.run(FunctionMocks.request(Json.mapper().writeValueAsBytes(request), Map.of()), FunctionMocks.context());

                assertThat(res.getStatus().value()).as(scenario).isEqualTo(200);
                JsonNode answer = Json.mapper().readTree((String) res.getBody());
                String alertId = incident.alertPayload().path("data").path("essentials").path("alertId").asText();
                assertThat(gatheredFor).as("evidence gathered for the request's alert").containsExactly(alertId);
                assertThat(answer.path("verdict").asText()).as(scenario).isEqualTo(incident.label().verdict().name());
                assertThat(answer.path("title").asText()).as(scenario).containsIgnoringCase(incident.truth().app().name());
                assertThat(answer.path("delivered")).as("a function-key replay delivers nothing").isEmpty();
                assertThat(sent).isEmpty();
            }
        }
    }

    @Test
    void emptyOversizedAndUnusableRequestsAre4xx() {
        Replay function = new Replay((body, permission) -> {
            throw new IllegalArgumentException("payload is not an alert");
        });
        assertThat(function.run(FunctionMocks.request(null, Map.of()), FunctionMocks.context()).getStatus().value()).isEqualTo(400);
        assertThat(function.run(FunctionMocks.request(new byte[256 * 1024 + 1], Map.of()), FunctionMocks.context()).getStatus().value()).isEqualTo(413);
        HttpResponseMessage bad = function.run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(bad.getStatus().value()).isEqualTo(400);
        assertThat(bad.getBody()).isEqualTo("{\"error\":\"payload is not an alert\",\"field\":\"body\"}");
    }

    @Test
    void pipelineFailureIsA500WithoutDetails() {
        Replay function = new Replay((body, permission) -> {
            throw new IllegalStateException("token=abc");
        });
        HttpResponseMessage res = function.run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(res.getStatus().value()).isEqualTo(500);
        assertThat((String) res.getBody()).doesNotContain("token");
    }

    @Test
    void theFunctionKeyReplayNeverHasDeliveryPermission() {
        java.util.List<io.oomresponder.pipeline.ReplayPermission> seen = new java.util.ArrayList<>();
        new Replay((body, permission) -> {
            seen.add(permission);
            return "{}";
        }).run(FunctionMocks.request("{\"deliver\":true}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(seen).containsExactly(io.oomresponder.pipeline.ReplayPermission.DRY_RUN_ONLY);
    }

    @Test
    void replayDeliverIsOffByDefaultAndGrantsDeliveryWhenEnabled() {
        java.util.List<io.oomresponder.pipeline.ReplayPermission> seen = new java.util.ArrayList<>();
        java.util.function.BiFunction<byte[], io.oomresponder.pipeline.ReplayPermission, String> replay = (body, permission) -> {
            seen.add(permission);
            return "{}";
        };
        HttpResponseMessage off = new ReplayDeliver(replay, false).run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(off.getStatus().value()).isEqualTo(403);
        assertThat(seen).isEmpty();
        HttpResponseMessage on = new ReplayDeliver(replay, true).run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(on.getStatus().value()).isEqualTo(200);
        assertThat(seen).containsExactly(io.oomresponder.pipeline.ReplayPermission.MAY_DELIVER);
    }

    @Test
    void aRefusedDeliveryIs403() {
        Replay function = new Replay((body, permission) -> {
            throw new io.oomresponder.pipeline.ReplayRefusedException("delivering a replay needs its own permission");
        });
        assertThat(function.run(FunctionMocks.request("{}".getBytes(), Map.of()), FunctionMocks.context()).getStatus().value()).isEqualTo(403);
    }
}
