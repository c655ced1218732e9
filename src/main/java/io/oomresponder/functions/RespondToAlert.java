package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import io.oomresponder.intake.IntakeReceipt;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.AlertReconciler;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.ResponseOutcome;
import io.oomresponder.pipeline.Runtime;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Queue trigger on {@code alerts}: runs the pipeline for one alert. Exceptions propagate on purpose:
 * the host retries the message (host.json maxDequeueCount) and then moves it to {@code alerts-poison}.
 * With no sink configured it refuses every alert the same way, so the alerts wait in the queues
 * (and {@code GET /api/health} answers 503) instead of being diagnosed into nowhere.
 */
public final class RespondToAlert {

    private final Function<QueuedAlert, ResponseOutcome> responder;

    private final Supplier<Optional<String>> noDestination;

    private final java.util.function.Consumer<java.util.List<IntakeReceipt>> receipts;

    public RespondToAlert() {
        this(() -> io.oomresponder.delivery.Sinks.noDestination(io.oomresponder.config.Settings.fromEnvironment()), message -> {
            // Recorded before anything slow, so the reconcile knows this alert arrived.
            AlertReconciler.recordReceipt(Runtime.receivedAlerts(), message);
            return Runtime.responder().respond(message);
        }, receipts -> AlertReconciler.recordReceipts(Runtime.receivedAlerts(), receipts));
    }

    /** @param responder normally {@link Responder#respond} of the process-wide pipeline */
    RespondToAlert(Function<QueuedAlert, ResponseOutcome> responder) {
        this(Optional::empty, responder);
    }

    /** @param noDestination why notes would go nowhere (no sink configured), or empty */
    RespondToAlert(Supplier<Optional<String>> noDestination, Function<QueuedAlert, ResponseOutcome> responder) {
        this(noDestination, responder, r -> { });
    }

    /** @param receipts records the intake's receipts of alerts it did not queue (joined, rate-limited, ignored) */
    RespondToAlert(Supplier<Optional<String>> noDestination, Function<QueuedAlert, ResponseOutcome> responder,
                   java.util.function.Consumer<java.util.List<IntakeReceipt>> receipts) {
        this.noDestination = noDestination;
        this.responder = responder;
        this.receipts = receipts;
    }

    @FunctionName("RespondToAlert")
    public void run(
            @QueueTrigger(name = "message", queueName = "alerts", connection = "AzureWebJobsStorage") String message,
            ExecutionContext context) {
        Optional<java.util.List<IntakeReceipt>> intakeReceipts = IntakeReceipt.fromMessage(message);
        if (intakeReceipts.isPresent()) {
            // The intake joined, rate-limited or ignored these: record what it did, run nothing.
            receipts.accept(intakeReceipts.get());
            context.getLogger().info("recorded " + intakeReceipts.get().size() + " intake receipt(s)");
            return;
        }
        Optional<String> problem = noDestination.get();
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get() + "; the alert is retried, then kept in alerts-poison and re-driven");
        }
        QueuedAlert alert = QueuedAlert.fromJson(message);
        ResponseOutcome outcome = responder.apply(alert);
        context.getLogger().info(alert.dedupeKey() + ": " + outcome.status() + " " + outcome.detail());
    }
}
