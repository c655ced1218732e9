package io.oomresponder.pipeline;

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
        static final Responder INSTANCE = new Responder(Settings.fromEnvironment());
    }

    private static final class IntakeHolder {
        static final AlertIntake INSTANCE = AlertIntake.fromSettings(Settings.fromEnvironment());
    }

    private static final class QueueHolder {
        static final AlertQueueWriter INSTANCE = AlertQueueWriter.fromSettings(Settings.fromEnvironment());
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
