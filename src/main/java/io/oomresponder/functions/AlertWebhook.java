package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueOutput;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.pipeline.Runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/alerts}: the action group's Azure Function receiver (and Event Grid webhooks).
 * Validates, queues, and answers 202 in milliseconds; the work happens in {@link RespondToAlert}.
 */
public final class AlertWebhook {

    private final Supplier<AlertIntake> intake;

    public AlertWebhook() {
        this(Runtime::intake);
    }

    AlertWebhook(Supplier<AlertIntake> intake) {
        this.intake = intake;
    }

    @FunctionName("AlertWebhook")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "alerts",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            @QueueOutput(name = "msg", queueName = "alerts", connection = "AzureWebJobsStorage")
            OutputBinding<List<String>> msg,
            ExecutionContext context) {
        return FunctionAnswers.guarded(request, context, () -> {
            IntakeResult result = intake.get().accept(request.getBody().orElse(null), request.getHeaders());
            FunctionAnswers.enqueue(result, msg);
            return FunctionAnswers.respond(request, result);
        });
    }
}
