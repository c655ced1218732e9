package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.oomresponder.intake.QueuedAlert;
import io.oomresponder.pipeline.AlertReconciler;
import io.oomresponder.pipeline.Runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Timer, every 5 minutes: queues the alerts Azure Monitor fired in the last hour that never reached
 * the intake (a cold start, the action group's block after failed retries, {@link io.oomresponder.intake.ActionGroupRetries}), and logs the apps that went silent
 * ({@link AlertReconciler}). A failed queue write fails the run; the next run finds the alerts again.
 */
public final class ReconcileAlerts {

    private final Supplier<AlertReconciler> reconciler;

    public ReconcileAlerts() {
        this(Runtime::reconciler);
    }

    ReconcileAlerts(Supplier<AlertReconciler> reconciler) {
        this.reconciler = reconciler;
    }

    @FunctionName("ReconcileAlerts")
    public void run(@TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timer,
                    @QueueOutput(name = "msg", queueName = "alerts", connection = "AzureWebJobsStorage") OutputBinding<List<String>> msg,
                    ExecutionContext context) {
        AlertReconciler.Report report = reconciler.get().sweep();
        List<String> messages = new ArrayList<>();
        for (QueuedAlert q : report.missing()) {
            messages.add(q.toJson());
        }
        if (!messages.isEmpty()) {
            msg.setValue(messages);
        }
        context.getLogger().info("reconcile: " + report.fired() + " alert(s) fired in the last hour, " + report.received() + " received, "
                + report.missing().size() + " queued now, " + report.silentApps().size() + " silent app(s)"
                + (report.failures().isEmpty() ? "" : ", " + report.failures().size() + " subscription(s) unreadable"));
        for (AlertReconciler.SilentApp app : report.silentApps()) {
            context.getLogger().warning("no alert arrived for " + app.appResourceId() + " while Azure Monitor fired " + app.fired()
                    + " (latest " + app.latestFiredAt() + "): " + io.oomresponder.intake.ActionGroupRetries.SILENT_CAUSE);
        }
    }
}
