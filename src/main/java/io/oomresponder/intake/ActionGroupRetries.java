package io.oomresponder.intake;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What an action group does when its call to our endpoint (webhook or Azure Function receiver)
 * fails. Source: Learn, "Action groups", section "Webhook retry behavior" (page dated 07/21/2026):
 * the first failure is retried at least once and up to 5 times, with delays of 5 s, 20 s, 5 s, 40 s
 * and 5 s; after the retries fail, no action group calls the endpoint for 15 minutes; only 408,
 * 429, 503, 504 and connection errors or timeouts are retried. (Older versions of the page said two
 * retries after 10 s and 100 s and a 30-minute block.) Every timing derived from these reads them
 * here.
 */
public final class ActionGroupRetries {

    /** The delays before each retry, in order (up to five retries). */
    public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(20),
            Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(5));
    /** After the retries fail, no action group calls the endpoint for this long. */
    public static final Duration BLOCK = Duration.ofMinutes(15);
    /** The HTTP statuses an action group retries (besides connection errors and timeouts); any other failure loses the alert. */
    public static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 503, 504);

    /** Why Azure Monitor fired alerts for an app while none arrived, in the words the warnings use. */
    public static final String SILENT_CAUSE = "the action group's " + BLOCK.toMinutes()
            + "-minute block of this endpoint after its retries failed, or a broken action group";

    private ActionGroupRetries() {
    }

    /** From the first call to the start of the last retry: the sum of the delays (75 s). */
    public static Duration retriesSpan() {
        return RETRY_DELAYS.stream().reduce(Duration.ZERO, Duration::plus);
    }

    /** The retry rule in one phrase, for docs and log lines. */
    public static String describe() {
        return "up to " + RETRY_DELAYS.size() + " retries after " + RETRY_DELAYS.stream().map(d -> d.toSeconds() + " s")
                .reduce((a, b) -> a + ", " + b).orElse("") + ", then no call for " + BLOCK.toMinutes() + " minutes";
    }
}
