package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.pipeline.ReplayPermission;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.Runtime;
import io.oomresponder.config.Settings;

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /api/replay/deliver}: a replay that may send its note. Admin-level (the host's master
 * key, not a function key: {@code AuthorizationLevel.ADMIN}), and off unless
 * {@code REPLAY_DELIVERY_ENABLED=true}; without it every request gets 403. Replayed notes reach a
 * paging sink only when the request's {@code "sinks"} names it.
 */
public final class ReplayDeliver {

    /** The setting that turns this Function on. */
    public static final String ENABLED = "REPLAY_DELIVERY_ENABLED";

    private final BiFunction<byte[], ReplayPermission, String> replay;
    private final boolean enabled;

    public ReplayDeliver() {
        this((body, permission) -> Runtime.responder().replay(body, permission),
                Settings.fromEnvironment().get(ENABLED).map(Boolean::parseBoolean).orElse(false));
    }

    /** @param replay normally {@link Responder#replay(byte[], ReplayPermission)} of the process-wide pipeline */
    ReplayDeliver(BiFunction<byte[], ReplayPermission, String> replay, boolean enabled) {
        this.replay = replay;
        this.enabled = enabled;
    }

    @FunctionName("ReplayDeliver")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "replay/deliver",
                    authLevel = AuthorizationLevel.ADMIN, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> {
            HttpAnswer answer = enabled
                    ? ReplayAnswer.of(body -> replay.apply(body, ReplayPermission.MAY_DELIVER), request.getBody().orElse(null))
                    : HttpAnswer.error(403, "replay delivery is off; set " + ENABLED + "=true to turn it on", "deliver");
            return FunctionAnswers.respond(request, answer);
        });
    }
}
