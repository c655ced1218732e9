package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.intake.AlertIntake;
import io.oomresponder.intake.AlertQueueWriter;

/**
 * The process-wide pipeline and intake, built once from {@link Settings#fromEnvironment()} on first
 * use (the Functions host creates entry-point objects freely; the expensive parts must not follow).
 */
public final class Runtime {

    private Runtime() {
    }

    private static final class ResponderHolder {
        static final Responder INSTANCE = build();

        private static Responder build() {
            Settings settings = Settings.fromEnvironment();
            // Refuse a claim lease that could outlast the queue's last delivery: after a crash it would lose alerts.
            ClaimTiming.forFunctions(settings);
            return new Responder(settings);
        }
    }

    private static final class RedriveHolder {
        static final PoisonRedrive INSTANCE = PoisonRedrive.fromSettings(Settings.fromEnvironment(),
                StoragePoisonQueue.fromSettings(Settings.fromEnvironment()), responder(), java.time.Clock.systemUTC());
    }

    private static final class RetentionHolder {
        static final io.oomresponder.store.StoreRetention INSTANCE = io.oomresponder.store.StoreRetention.fromSettings(Settings.fromEnvironment());
    }

    /** The shared poison re-drive ({@code alerts-poison} of AzureWebJobsStorage). */
    public static PoisonRedrive poisonRedrive() {
        return RedriveHolder.INSTANCE;
    }

    /** The store retention from RETENTION_CLAIMS / RETENTION_INCIDENTS / RETENTION_NOTES. */
    public static io.oomresponder.store.StoreRetention retention() {
        return RetentionHolder.INSTANCE;
    }

    private static final class IntakeHolder {
        static final AlertIntake INSTANCE = AlertIntake.fromSettings(Settings.fromEnvironment());
    }

    private static final class QueueHolder {
        static final AlertQueueWriter INSTANCE = AlertQueueWriter.fromSettings(Settings.fromEnvironment());
    }

    private static final class ReceivedHolder {
        static final io.oomresponder.store.ReceivedAlerts INSTANCE = io.oomresponder.store.ReceivedAlerts.fromSettings(Settings.fromEnvironment());
    }

    private static final class ReconcilerHolder {
        static final AlertReconciler INSTANCE = AlertReconciler.fromSettings(Settings.fromEnvironment(),
                io.oomresponder.evidence.azure.AzureClients.from(Settings.fromEnvironment()), receivedAlerts(), java.time.Clock.systemUTC());
    }

    /** Where the alerts received are recorded (the incident store's account, else memory). */
    public static io.oomresponder.store.ReceivedAlerts receivedAlerts() {
        return ReceivedHolder.INSTANCE;
    }

    /** The reconcile of fired against received alerts. */
    public static AlertReconciler reconciler() {
        return ReconcilerHolder.INSTANCE;
    }

    /** The shared responder. */
    public static Responder responder() {
        return ResponderHolder.INSTANCE;
    }

    /** The shared intake (scope guard from ALLOWED_SUBSCRIPTIONS / ALLOWED_RESOURCE_GROUPS). */
    public static AlertIntake intake() {
        return IntakeHolder.INSTANCE;
    }

    /** The intake's own writer to the {@code alerts} queue (AzureWebJobsStorage, INTAKE_QUEUE_TIMEOUT). */
    public static AlertQueueWriter alertQueue() {
        return QueueHolder.INSTANCE;
    }
}
