package io.oomresponder.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayTest {

    @Test
    void replayAnswers200WithTheNote() {
        Replay function = new Replay((body, permission) -> "{\"note\":\"leak suspected\"}");
        HttpResponseMessage res = function.run(FunctionMocks.request("{\"payload\":{}}".getBytes(), Map.of()), FunctionMocks.context());
        assertThat(res.getStatus().value()).isEqualTo(200);
        assertThat(res.getBody()).isEqualTo("{\"note\":\"leak suspected\"}");
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
