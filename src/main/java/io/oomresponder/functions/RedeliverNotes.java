package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.oomresponder.pipeline.Responder;
import io.oomresponder.pipeline.Runtime;

import java.util.function.IntSupplier;

/** Timer, every 5 minutes: retries notes that could not be delivered earlier. */
public final class RedeliverNotes {

    private final IntSupplier redeliverDue;

    public RedeliverNotes() {
        this(() -> Runtime.responder().redeliverDue());
    }

    /** @param redeliverDue normally {@link Responder#redeliverDue} of the process-wide pipeline */
    RedeliverNotes(IntSupplier redeliverDue) {
        this.redeliverDue = redeliverDue;
    }

    @FunctionName("RedeliverNotes")
    public void run(@TimerTrigger(name = "timer", schedule = "0 */5 * * * *") String timer, ExecutionContext context) {
        int delivered = redeliverDue.getAsInt();
        if (delivered > 0) {
            context.getLogger().info("redelivered " + delivered + " note(s)");
        }
    }
}
