package io.oomresponder.simulator;

import io.oomresponder.evidence.ProbeSpec;
import io.oomresponder.evidence.ScaleSettings;

import java.util.List;

/**
 * What one behaviour family does to an app minute by minute: the traffic it gets, the working
 * set each replica needs, and the crashes that are not about memory. The model applies the memory
 * limit itself: a demand at or above the limit is an OOM kill.
 */
interface Behaviour {

    /** Requests per minute to the whole app, one entry per window minute. */
    double[] traffic();

    /** Sets a replica's state at its first minute in the window (e.g. how far a leak has grown). */
    default void initialise(ReplicaState replica) {
    }

    /** Working set (bytes) the replica needs this minute; may exceed the limit. */
    double demand(ReplicaState replica, int minute, double requestsThisMinute);

    /** A crash this minute that is not about memory, or null. */
    default Crash crash(ReplicaState replica, int minute) {
        return null;
    }

    /** The container was restarted this minute (after an OOM kill when {@code oom}). */
    default void restarted(ReplicaState replica, int minute, boolean oom) {
        replica.accumulated = 0;
    }

    /** Minutes the container stays down after an OOM kill before it starts again (back-off). */
    default int downMinutesAfterOom(ReplicaState replica) {
        return crashLoopBackOffMinutes(replica.restartsInRow);
    }

    /**
     * Kubernetes' crash-loop back-off in whole minutes: 10 s doubling per restart in a row, capped
     * at five minutes (10, 20, 40 s restart within the minute; then 1, 2, 5 minutes down).
     */
    static int crashLoopBackOffMinutes(int restartsInRow) {
        long seconds = Math.min(300, 10L << Math.min(10, Math.max(0, restartsInRow - 1)));
        return (int) (seconds / 60);
    }

    /** Console lines of this minute beyond starts and kills (backlog warnings, job lines...). */
    default void console(ReplicaState replica, int minute, ConsoleWriter out) {
    }

    /**
     * Series the app's runtime emits beside the platform's (Java metrics when they are turned on),
     * one replica at a time, at the window's minutes; none by default.
     */
    default List<io.oomresponder.evidence.MetricSeries> runtimeSeries(ReplicaState replica, java.time.Instant[] times) {
        return List.of();
    }

    /** The runtime this behaviour needs (a Java case needs a JVM), or null to keep the drawn one. */
    default AppRuntime requiredRuntime() {
        return null;
    }

    /** Restarts a replica this old had before the window (the ARM counter counts them too). */
    default int restartsBefore(ReplicaState replica, long ageMinutes) {
        return replica.rnd.nextInt(3);
    }

    /** Window minute a new revision is deployed (its replicas start then), or -1 for none. */
    default int deploymentMinute() {
        return -1;
    }

    /** With a deployment in the window: whether the previous revision keeps serving (the new one never got ready). */
    default boolean previousRevisionKeepsServing() {
        return false;
    }

    /** maxReplicas of the scale settings for an app running this many replicas. */
    default int maxReplicas(int replicas, ModelParameters p) {
        return replicas + p.between(2, 10);
    }

    /** Scale rules beyond the HTTP rule every app has. */
    default List<ScaleSettings.Rule> extraScaleRules() {
        return List.of();
    }

    /**
     * Messages per minute by which the backlog waiting in the app's own queue grows, or −1 when the
     * behaviour has no queue of its own (the model may still give the app an unrelated one).
     */
    default double queueBacklogGrowthPerMinute() {
        return -1;
    }

    /** The name of the behaviour's own queue, or null. */
    default String queueName() {
        return null;
    }

    /** Health probes of the container. */
    default List<ProbeSpec> probes() {
        return List.of();
    }

    /** How the incident was alerted on. */
    AlertKind alertKind();

    /** Percent of the limit a memory alert rule fires above (WorkingSetBytes, MemoryPercentage). */
    default double memoryAlertPercent() {
        return 85;
    }

    /** Where behaviours write console lines. */
    @FunctionalInterface
    interface ConsoleWriter {
        void write(ReplicaState replica, int minute, int second, String stream, String message);
    }
}
