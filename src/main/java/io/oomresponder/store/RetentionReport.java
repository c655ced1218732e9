package io.oomresponder.store;

/**
 * What one retention sweep deleted.
 *
 * @param claims     alert claims (with their sink and failure records)
 * @param incidents  incidents
 * @param notes      expired undelivered notes
 */
public record RetentionReport(int claims, int incidents, int notes) {

    public int total() {
        return claims + incidents + notes;
    }
}
