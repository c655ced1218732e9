package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.Runtime;

import java.util.Optional;
import java.util.function.Function;

/** {@code POST /api/replay}: replays a past alert with today's code and answers with the note. */
public final class Replay {

    private final Function<byte[], String> replay;

    public Replay() {
        this(body -> Runtime.responder().replay(body));
    }

    /** @param replay normally {@link Responder#replay} of the process-wide pipeline */
    Replay(Function<byte[], String> replay) {
        this.replay = replay;
    }

    @FunctionName("Replay")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "replay",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> {
            HttpAnswer answer = ReplayAnswer.of(replay, request.getBody().orElse(null));
            return FunctionAnswers.respond(request, answer);
        });
    }
}
