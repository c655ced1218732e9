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

import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code POST /api/replay}: replays a past alert with today's code and answers with the note. A
 * function key is enough for a dry run only; delivering needs {@link ReplayDeliver}.
 */
public final class Replay {

    private final BiFunction<byte[], ReplayPermission, String> replay;

    public Replay() {
        this((body, permission) -> Runtime.responder().replay(body, permission));
    }

    /** @param replay normally {@link Responder#replay(byte[], ReplayPermission)} of the process-wide pipeline */
    Replay(BiFunction<byte[], ReplayPermission, String> replay) {
        this.replay = replay;
    }

    @FunctionName("Replay")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "replay",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> {
            HttpAnswer answer = ReplayAnswer.of(body -> replay.apply(body, ReplayPermission.DRY_RUN_ONLY), request.getBody().orElse(null));
            return FunctionAnswers.respond(request, answer);
        });
    }
}
