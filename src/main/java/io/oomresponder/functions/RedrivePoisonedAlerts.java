package io.oomresponder.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import io.oomresponder.pipeline.PoisonRedrive;
import io.oomresponder.pipeline.Runtime;

import java.util.function.Supplier;

/**
 * Timer, every 5 minutes: puts poisoned alerts back on {@code alerts} after POISON_REDRIVE_DELAY, at
 * most POISON_MAX_REDRIVES times, then reports each one that still fails in a note.
 */
public final class RedrivePoisonedAlerts {

    private final Supplier<PoisonRedrive.Report> sweep;

    public RedrivePoisonedAlerts() {
        this(() -> Runtime.poisonRedrive().sweep());
    }

    /** @param sweep normally {@link PoisonRedrive#sweep} of the process-wide re-drive */
    RedrivePoisonedAlerts(Supplier<PoisonRedrive.Report> sweep) {
        this.sweep = sweep;
    }

    @FunctionName("RedrivePoisonedAlerts")
    public void run(@TimerTrigger(name = "timer", schedule = "30 */5 * * * *") String timer, ExecutionContext context) {
        PoisonRedrive.Report r = sweep.get();
        if (r.redriven() + r.reported() > 0) {
            context.getLogger().info("poison re-drive: " + r);
        }
    }
}
