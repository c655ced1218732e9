package io.oomresponder.store;

/**
 * What one retention sweep deleted.
 *
 * @param claims     alert claims (with their sink and failure records)
 * @param incidents  incidents
 * @param notes      expired undelivered notes
 * @param receipts   receipts of alerts received (the reconcile's record)
 */
public record RetentionReport(int claims, int incidents, int notes, int receipts) {

    public RetentionReport(int claims, int incidents, int notes) {
        this(claims, incidents, notes, 0);
    }

    /** The same report with the receipts a sweep of {@link ReceivedAlerts} deleted. */
    public RetentionReport withReceipts(int deleted) {
        return new RetentionReport(claims, incidents, notes, deleted);
    }

    public int total() {
        return claims + incidents + notes + receipts;
    }
}
