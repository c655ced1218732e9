package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.HttpAnswer;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.Runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code POST /api/alerts}: the action group's Azure Function receiver (and Event Grid webhooks).
 * Validates, writes the alert to the {@code alerts} queue itself within a deadline, and answers
 * 202; the work happens in {@link RespondToAlert}.
 *
 * <p>It writes the queue itself rather than through a queue output binding because the host
 * writes a binding after the function returned and answers 500 when that fails, and action groups
 * never retry a 500. Here a queue that refuses or is slow is answered 503 with Retry-After before the
 * action group gives up on the call, so its retry ({@link io.oomresponder.intake.ActionGroupRetries}) comes back. Nothing on this path
 * loads an Azure SDK client, the diagnosis or the note renderer (see IntakeColdPathTest).
 */
public final class AlertWebhook {

    private final Supplier<AlertIntake> intake;
    private final Supplier<Predicate<List<String>>> queue;

    public AlertWebhook() {
        this(Runtime::intake, () -> Runtime.alertQueue()::write);
    }

    /**
     * @param intake the intake
     * @param queue  writes queue messages; false when they were not all written in time
     */
    AlertWebhook(Supplier<AlertIntake> intake, Supplier<Predicate<List<String>>> queue) {
        this.intake = intake;
        this.queue = queue;
    }

    @FunctionName("AlertWebhook")
    public HttpResponseMessage run(
            @HttpTrigger(name = "req", methods = {HttpMethod.POST}, route = "alerts",
                    authLevel = AuthorizationLevel.FUNCTION, dataType = "binary")
            HttpRequestMessage<Optional<byte[]>> request,
            ExecutionContext context) {
        return FunctionAnswers.guardedRetryable(request, context, () -> {
            IntakeResult result = intake.get().accept(request.getBody().orElse(null), request.getHeaders());
            if (result instanceof IntakeResult.Accepted a) {
                // The first record of every alert received: its id and arrival, in the host's log, before any I/O.
                for (QueuedAlert q : a.alerts()) {
                    context.getLogger().info("alert received: " + q.dedupeKey() + " at " + q.receivedAt() + " for " + q.alert().targetResourceId());
                }
                if (!queue.get().test(FunctionAnswers.messages(result))) {
                    context.getLogger().warning("alerts queue did not take " + a.alerts().size() + " alert(s) in time; answered 503 so the sender retries");
                    return FunctionAnswers.respond(request, HttpAnswer.queueFull());
                }
            } else if (!result.receipts().isEmpty() && !queue.get().test(FunctionAnswers.messages(result))) {
                // Only the receipt of an ignored alert was lost: the answer stays 202 (a retry would be ignored again).
                context.getLogger().warning("alerts queue did not take the receipt of " + result.receipts().size() + " ignored alert(s)");
            }
            return FunctionAnswers.respond(request, result);
        });
    }
}
