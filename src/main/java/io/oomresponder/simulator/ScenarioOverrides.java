package io.oomresponder.simulator;

import java.time.Duration;

/**
 * Optional overrides of the seeded scenario parameters; a null field keeps the seeded value.
 *
 * @param windowLength length of the evidence window, whole minutes, at most {@link #MAX_WINDOW}
 * @param replicaCount replicas of the app, 1..{@link #MAX_REPLICAS}
 */
public record ScenarioOverrides(Duration windowLength, Integer replicaCount) {

    /** Longest window the model simulates (two weeks at one-minute grain). */
    public static final Duration MAX_WINDOW = Duration.ofDays(14);
    /** Shortest window: enough minutes for every family to show its shape. */
    public static final Duration MIN_WINDOW = Duration.ofHours(1);
    /** The largest replica count the model accepts (Container Apps caps maxReplicas at 300). */
    public static final int MAX_REPLICAS = 300;

    /** No overrides: everything comes from the seed. */
    public static final ScenarioOverrides NONE = new ScenarioOverrides(null, null);

    public ScenarioOverrides {
        if (windowLength != null) {
            if (windowLength.compareTo(MIN_WINDOW) < 0 || windowLength.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("windowLength must be between " + MIN_WINDOW + " and " + MAX_WINDOW + ", was " + windowLength);
            }
            if (windowLength.toSeconds() % 60 != 0) {
                throw new IllegalArgumentException("windowLength must be whole minutes, was " + windowLength);
            }
        }
        if (replicaCount != null && (replicaCount < 1 || replicaCount > MAX_REPLICAS)) {
            throw new IllegalArgumentException("replicaCount must be between 1 and " + MAX_REPLICAS + ", was " + replicaCount);
        }
    }
}
