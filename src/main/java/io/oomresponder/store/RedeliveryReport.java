package io.oomresponder.store;

/**
 * What one redelivery sweep did.
 *
 * @param due       notes that were due
 * @param delivered notes a sink took this time
 * @param failed    notes that failed again and wait for their next attempt
 * @param expired   notes given up (too old, failed for good, or their sink is gone) and reported
 * @param skipped   notes another instance took first
 */
public record RedeliveryReport(int due, int delivered, int failed, int expired, int skipped) {
}
