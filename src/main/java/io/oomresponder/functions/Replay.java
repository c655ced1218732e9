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
import java.util.function.Supplier;

/** {@code POST /api/replay}: replays a past alert with today's code and answers with the note. */
public final class Replay {

    private final Supplier<Responder> responder;

    public Replay() {
        this(Runtime::responder);
    }

    Replay(Supplier<Responder> responder) {
        this.responder = responder;
    }

    @FunctionName("Replay")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "replay",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> {
            HttpAnswer answer = ReplayAnswer.of(responder.get(), request.getBody().orElse(null));
            return FunctionAnswers.respond(request, answer);
        });
    }
}
