package io.oomresponder.pipeline;

import io.oomresponder.config.Settings;
import io.oomresponder.store.IncidentStore;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The claim lease, the handler's budget and the queue's retry settings, checked against each other
 * so that an alert whose handler died is taken over before the queue poisons it.
 *
 * <p>A live handler renews its claim every quarter lease (the heartbeat), so the lease only says
 * how soon a <em>dead</em> handler's claim runs out: at most one lease after its last renewal.
 * The queue hands the message out again at the earliest right after the death, then every
 * {@code visibilityTimeout}, until its {@code maxDequeueCount}-th delivery. So the last delivery
 * comes at least {@code (maxDequeueCount − 2) × visibilityTimeout} after the death, and the lease
 * (plus one heartbeat of slack) must run out before that. With host.json's 5 × 75 s that is
 * 225 s: the default lease PT1M passes, PT5M or PT10M are refused at start.
 *
 * @param lease             ALERT_CLAIM_LEASE
 * @param handlerBudget     ALERT_HANDLER_BUDGET: how long one handler may work on an alert; sinks get
 *                          what is left of it, and the heartbeat stops renewing after it
 * @param maxDequeueCount   host.json maxDequeueCount (or serve's)
 * @param visibilityTimeout host.json visibilityTimeout (or serve's --visibility-timeout)
 * @param functionTimeout   host.json functionTimeout, or null for serve (no host limit)
 */
public record ClaimTiming(Duration lease, Duration handlerBudget, int maxDequeueCount, Duration visibilityTimeout,
                          Duration functionTimeout) {

    /** host.json {@code extensions.queues.maxDequeueCount}. */
    public static final int HOST_MAX_DEQUEUE_COUNT = 5;
    /** host.json {@code extensions.queues.visibilityTimeout}: the wait before a failed message is retried. */
    public static final Duration HOST_VISIBILITY_TIMEOUT = Duration.ofSeconds(75);
    /** host.json {@code functionTimeout}. */
    public static final Duration HOST_FUNCTION_TIMEOUT = Duration.ofMinutes(5);
    /** ALERT_HANDLER_BUDGET default: inside functionTimeout, with a minute left for bookkeeping. */
    public static final Duration DEFAULT_HANDLER_BUDGET = Duration.ofMinutes(4);

    private static final Pattern TIME_SPAN = Pattern.compile("(?:(\\d+)\\.)?(\\d{1,2}):(\\d{2}):(\\d{2})");

    public ClaimTiming {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(handlerBudget, "handlerBudget");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        if (lease.isNegative() || lease.isZero() || handlerBudget.isNegative() || handlerBudget.isZero()) {
            throw new IllegalArgumentException("ALERT_CLAIM_LEASE and ALERT_HANDLER_BUDGET must be positive durations");
        }
        if (maxDequeueCount < 3) {
            throw new IllegalArgumentException("maxDequeueCount must be at least 3 for a dead handler's alert to be taken over, was " + maxDequeueCount);
        }
        Duration lastDelivery = visibilityTimeout.multipliedBy(maxDequeueCount - 2L);
        if (lease.plus(heartbeatOf(lease)).compareTo(lastDelivery) > 0) {
            throw new IllegalArgumentException("ALERT_CLAIM_LEASE " + lease + " cannot run out before the queue's last delivery: after a handler dies, "
                    + "the message comes back at most " + (maxDequeueCount - 1) + " more times, " + visibilityTimeout.toSeconds()
                    + " s apart, so the last one may come " + lastDelivery.toSeconds() + " s after the death; the lease plus a quarter of it must be "
                    + "at most that (the handler renews its claim, so a short lease such as PT1M is enough)");
        }
        if (functionTimeout != null && handlerBudget.compareTo(functionTimeout) >= 0) {
            throw new IllegalArgumentException("ALERT_HANDLER_BUDGET " + handlerBudget + " must be shorter than functionTimeout " + functionTimeout);
        }
    }

    /** How often a handler renews its claim: a quarter lease, so three renewals may fail before it runs out. */
    public Duration heartbeat() {
        return heartbeatOf(lease);
    }

    private static Duration heartbeatOf(Duration lease) {
        return lease.dividedBy(4);
    }

    /**
     * For the Functions host, with host.json's values (the constants above; {@code ClaimTimingTest}
     * reads host.json and fails when they differ). Overriding host.json through
     * {@code AzureFunctionsJobHost__*} app settings is not supported: this check would not see it.
     */
    public static ClaimTiming forFunctions(Settings settings) {
        return new ClaimTiming(settings.duration("ALERT_CLAIM_LEASE", IncidentStore.DEFAULT_CLAIM_LEASE),
                settings.duration("ALERT_HANDLER_BUDGET", DEFAULT_HANDLER_BUDGET),
                HOST_MAX_DEQUEUE_COUNT, HOST_VISIBILITY_TIMEOUT, HOST_FUNCTION_TIMEOUT);
    }

    /** For {@code serve}: its own queue's retry delay; no host timeout. */
    public static ClaimTiming forServe(Settings settings, int maxDequeueCount, Duration visibilityTimeout) {
        return new ClaimTiming(settings.duration("ALERT_CLAIM_LEASE", IncidentStore.DEFAULT_CLAIM_LEASE),
                settings.duration("ALERT_HANDLER_BUDGET", DEFAULT_HANDLER_BUDGET), maxDequeueCount, visibilityTimeout, null);
    }

    /** A .NET TimeSpan as host.json writes it ({@code [d.]hh:mm:ss}). */
    static Optional<Duration> timeSpan(String value) {
        return Optional.ofNullable(value).map(v -> {
            Matcher m = TIME_SPAN.matcher(v);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a time span such as 00:01:15: '" + v + "'");
            }
            long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            return Duration.ofDays(days).plusHours(Long.parseLong(m.group(2))).plusMinutes(Long.parseLong(m.group(3)))
                    .plusSeconds(Long.parseLong(m.group(4)));
        });
    }
}
