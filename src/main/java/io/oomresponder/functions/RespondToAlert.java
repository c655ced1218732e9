package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.AlertReconciler;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.pipeline.Runtime;

import java.util.function.Function;

/**
 * Queue trigger on {@code alerts}: runs the pipeline for one alert. Exceptions propagate on purpose:
 * the host retries the message (host.json maxDequeueCount) and then moves it to {@code alerts-poison}.
 */
public final class RespondToAlert {

    private final Function<QueuedAlert, ResponseOutcome> responder;

    public RespondToAlert() {
        this(message -> {
            // Recorded before anything slow, so the reconcile knows this alert arrived.
            AlertReconciler.recordReceipt(Runtime.receivedAlerts(), message);
            return Runtime.responder().respond(message);
        });
    }

    /** @param responder normally {@link Responder#respond} of the process-wide pipeline */
    RespondToAlert(Function<QueuedAlert, ResponseOutcome> responder) {
        this.responder = responder;
    }

    @FunctionName("RespondToAlert")
    public void run(
            @QueueTrigger(name = "message", queueName = "alerts", connection = "AzureWebJobsStorage") String message,
            ExecutionContext context) {
        QueuedAlert alert = QueuedAlert.fromJson(message);
        ResponseOutcome outcome = responder.apply(alert);
        context.getLogger().info(alert.dedupeKey() + ": " + outcome.status() + " " + outcome.detail());
    }
}
