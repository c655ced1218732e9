package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oomresponder.json.Json;
import io.oomresponder.intake.QueuedAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-drives {@code alerts-poison}: a poisoned alert goes back on {@code alerts} once it has waited
 * POISON_REDRIVE_DELAY, at most POISON_MAX_REDRIVES times (the count travels in the message as
 * {@code "redrives"}). After that, or at once for text that is not a JSON object, a note goes to
 * every configured sink saying that the alert could not be processed and why (the last failure the
 * store recorded), and the message is removed. An alert never just disappears.
 *
 * <p>Runs from the {@code RedrivePoisonedAlerts} timer and from a loop in {@code serve}. Several
 * instances may run at once: each message is received (and so hidden) by one of them.
 */
public final class PoisonRedrive {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonRedrive.class);

    public static final Duration DEFAULT_DELAY = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_REDRIVES = 3;
    /** Messages handled per sweep. */
    static final int BATCH = 32;
    /** A received message stays hidden this long while the sweep handles it. */
    static final Duration HANDLING_TIME = Duration.ofMinutes(5);

    private final PoisonQueue queue;
    private final Responder responder;
    private final Duration delay;
    private final int maxRedrives;
    private final Clock clock;
    private final AtomicLong redriven = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();

    public PoisonRedrive(PoisonQueue queue, Responder responder, Duration delay, int maxRedrives, Clock clock) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.responder = Objects.requireNonNull(responder, "responder");
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("POISON_REDRIVE_DELAY must not be negative");
        }
        if (maxRedrives < 0) {
            throw new IllegalArgumentException("POISON_MAX_REDRIVES must be at least 0, was " + maxRedrives);
        }
        this.delay = delay;
        this.maxRedrives = maxRedrives;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** POISON_REDRIVE_DELAY (default PT15M) and POISON_MAX_REDRIVES (default 3). */
    public static PoisonRedrive fromSettings(Settings settings, PoisonQueue queue, Responder responder, Clock clock) {
        return new PoisonRedrive(queue, responder, settings.duration("POISON_REDRIVE_DELAY", DEFAULT_DELAY),
                settings.integer("POISON_MAX_REDRIVES", DEFAULT_MAX_REDRIVES), clock);
    }

    /** What one sweep did. */
    public record Report(int seen, int redriven, int reported, int waiting) {
    }

    /** Handles the poisoned messages that are visible now. */
    public Report sweep() {
        int seen = 0;
        int back = 0;
        int notes = 0;
        int waiting = 0;
        for (PoisonQueue.Poisoned m : queue.receive(BATCH, HANDLING_TIME)) {
            seen++;
            Instant now = clock.instant();
            Instant due = m.poisonedAt().plus(delay);
            if (now.isBefore(due)) {
                queue.hide(m, Duration.between(now, due));
                waiting++;
                continue;
            }
            JsonNode node = parse(m.text());
            QueuedAlert alert = node == null ? null : alert(m.text());
            int redrives = node == null ? 0 : node.path("redrives").asInt(0);
            // An object that is not an alert to this instance is re-driven too: during a deployment, an
            // older instance may not read a newer instance's message. Text that is not JSON is reported at once.
            if (node != null && redrives < maxRedrives) {
                ((ObjectNode) node).put("redrives", redrives + 1);
                queue.requeue(node.toString());
                queue.delete(m);
                redriven.incrementAndGet();
                back++;
                LOG.warn("poisoned alert {} put back on the alerts queue (re-drive {} of {})",
                        alert == null ? "message" : alert.dedupeKey(), redrives + 1, maxRedrives);
                continue;
            }
            String reason = alert == null ? "the message is not a readable alert"
                    : responder.store().lastFailure(alert.dedupeKey()).orElse("it failed on every delivery of the queue");
            responder.reportUnprocessable(UnprocessedAlertNote.render(alert, m.text(), reason, redrives), reason);
            queue.delete(m);
            reported.incrementAndGet();
            notes++;
        }
        Report r = new Report(seen, back, notes, waiting);
        if (back + notes > 0) {
            LOG.info("poison re-drive: {}", r);
        }
        return r;
    }

    /** For {@code /api/health}: re-drives and reports made by this process. */
    public long redriven() {
        return redriven.get();
    }

    public long reported() {
        return reported.get();
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode n = Json.mapper().readTree(text);
            return n != null && n.isObject() ? n : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static QueuedAlert alert(String text) {
        try {
            return QueuedAlert.fromJson(text);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
