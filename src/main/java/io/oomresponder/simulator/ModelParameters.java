package io.oomresponder.simulator;

import java.util.SplittableRandom;

/**
 * The seeded shape of one simulated app, handed to a {@link Behaviour} when it is built.
 *
 * @param minutes                  window length in minutes (one sample per minute)
 * @param limitBytes               memory limit of the container
 * @param replicas                 replicas of the current revision
 * @param requestsPerReplicaMinute typical requests per minute one replica serves
 * @param runtime                  language runtime, for console lines
 * @param app                      names and ids
 * @param rnd                      the behaviour's own random stream
 */
record ModelParameters(int minutes, long limitBytes, int replicas, double requestsPerReplicaMinute,
                       AppRuntime runtime, AppIdentity app, SplittableRandom rnd) {

    /** Uniform in [from, to). */
    double between(double from, double to) {
        return from + rnd.nextDouble() * (to - from);
    }

    int between(int from, int toInclusive) {
        return from + rnd.nextInt(toInclusive - from + 1);
    }
}
