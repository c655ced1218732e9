package io.oomresponder.pipeline;

import io.oomresponder.intake.QueuedAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The pipeline behind the queue: evidence, diagnosis, note, delivery, with the incident store. Shared
 * by the Functions entry points and {@code serve}; built once per process by {@link Runtime}.
 *
 * <p>Placeholder owned by the integrator: the bodies only log until the stages are wired in. The
 * signatures are the contract the entry points rely on.
 */
public final class Responder {

    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    private final Settings settings;

    public Responder(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Handles one queued alert end to end.
     *
     * @throws RuntimeException when it fails in a way a retry may fix (the queue retries, then poisons)
     */
    public ResponseOutcome respond(QueuedAlert message) {
        Objects.requireNonNull(message, "message");
        LOG.info("respond: {} for {} (pipeline not wired yet)", message.dedupeKey(), message.alert().targetResourceId());
        return new ResponseOutcome(ResponseOutcome.Status.IGNORED, "pipeline not wired yet");
    }

    /**
     * Replays a past alert from a request body (a saved alert payload or replay options) and returns
     * the note as text / JSON.
     *
     * @throws IllegalArgumentException when the request is not a usable replay request
     */
    public String replay(byte[] requestBody) {
        Objects.requireNonNull(requestBody, "requestBody");
        LOG.info("replay: {} bytes (pipeline not wired yet)", requestBody.length);
        return "{\"status\":\"not-implemented\",\"detail\":\"replay is not wired into this build yet\"}";
    }

    /** Retries undelivered notes that are due; returns how many were delivered. */
    public int redeliverDue() {
        LOG.debug("redeliverDue: nothing stored (pipeline not wired yet)");
        return 0;
    }

    /** Where incident state lives: "memory" or "azure-table" (for {@code serve}'s health answer). */
    public String storeMode() {
        return settings.get("AzureWebJobsStorage").isPresent() ? "azure-table" : "memory";
    }

}
