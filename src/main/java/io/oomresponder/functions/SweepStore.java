package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.oomresponder.pipeline.Runtime;
import io.oomresponder.store.RetentionReport;

import java.util.function.Supplier;

/**
 * Timer, hourly: Table storage has no time-to-live, so finished claims, old incidents and expired
 * notes are deleted after their retention (RETENTION_CLAIMS / RETENTION_INCIDENTS / RETENTION_NOTES), and the
 * reconcile's receipts after RETENTION_RECEIPTS.
 */
public final class SweepStore {

    private final Supplier<RetentionReport> sweep;

    public SweepStore() {
        this(() -> Runtime.responder().sweepRetention(Runtime.retention())
                .withReceipts(Runtime.receivedAlerts().sweep(Runtime.retention().receiptsBefore(java.time.Instant.now()))));
    }

    SweepStore(Supplier<RetentionReport> sweep) {
        this.sweep = sweep;
    }

    @FunctionName("SweepStore")
    public void run(@TimerTrigger(name = "timer", schedule = "0 17 * * * *") String timer, ExecutionContext context) {
        RetentionReport r = sweep.get();
        if (r.total() > 0) {
            context.getLogger().info("retention sweep deleted " + r);
        }
    }
}
