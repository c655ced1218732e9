package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.IntakeResult;
import io.oomresponder.pipeline.Runtime;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Event Grid trigger: an organisation's alert bus relaying common-alert payloads as EventGridEvent
 * or CloudEvent data. Same validation and queue as {@link AlertWebhook}; the host answers the
 * subscription handshake itself. Nothing is thrown for bad events: a retry would not fix them.
 */
public final class AlertEvents {

    private final Supplier<AlertIntake> intake;

    public AlertEvents() {
        this(Runtime::intake);
    }

    AlertEvents(Supplier<AlertIntake> intake) {
        this.intake = intake;
    }

    @FunctionName("AlertEvents")
    public void run(
            @EventGridTrigger(name = "event") String event,
            @QueueOutput(name = "msg", queueName = "alerts", connection = "AzureWebJobsStorage")
            OutputBinding<List<String>> msg,
            ExecutionContext context) {
        byte[] body = event == null ? null : event.getBytes(StandardCharsets.UTF_8);
        IntakeResult result = intake.get().accept(body, Map.of());
        FunctionAnswers.enqueue(result, msg);
        if (result instanceof IntakeResult.Rejected r) {
            context.getLogger().warning("event rejected: " + r.error() + " (field " + r.field() + ")");
        } else if (result instanceof IntakeResult.Ignored i) {
            context.getLogger().info("event ignored: " + i.reason());
        }
    }
}
