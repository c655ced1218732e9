package io.oomresponder.simulator;

import io.oomresponder.diagnosis.Diagnosis.Cause;
import io.oomresponder.diagnosis.Diagnosis.Verdict;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * The scenarios of the model, named {@code family/variant}, each with the label it is built to have.
 * Every seed of a scenario keeps the family's defining property (see each description).
 */
public enum Scenario {
    LEAK_CLASSIC("leak/classic", "memory grows steadily, resets on each OOM restart and grows again",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new LeakBehaviour(p, LeakBehaviour.Variant.CLASSIC)),
    LEAK_GC_WIGGLE("leak/gc-wiggle", "a rising trend under sawtooth GC noise, reset by each OOM restart",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new LeakBehaviour(p, LeakBehaviour.Variant.GC_WIGGLE)),
    LEAK_MANY_REPLICAS("leak/many-replicas", "every one of many replicas leaks and is OOM-killed in turn",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 5, 30, p -> new LeakBehaviour(p, LeakBehaviour.Variant.MANY)),
    LEAK_SLOW("leak/slow", "a slow leak: one or two OOM restarts in the window, the memory alert fired first",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 3, p -> new LeakBehaviour(p, LeakBehaviour.Variant.SLOW)),
    BUFFER_UNBOUNDED("buffer/unbounded", "memory grows with a backlog that never drains while served traffic is flat or falling",
            Verdict.LEAK_SUSPECTED, Cause.UNBOUNDED_BUFFERING, 1, 4, BufferBehaviour::new),
    PEAK_SPIKE("peak/spike", "a traffic spike drives memory to the limit; memory falls back when traffic falls",
            Verdict.PEAK_DEMAND, Cause.PEAK_DEMAND_OVER_LIMIT, 1, 6, p -> new DemandBehaviour(p, DemandBehaviour.Shape.SPIKE)),
    PEAK_RAMP("peak/ramp", "traffic ramps up steadily and memory tracks it past the limit",
            Verdict.PEAK_DEMAND, Cause.PEAK_DEMAND_OVER_LIMIT, 1, 6, p -> new DemandBehaviour(p, DemandBehaviour.Shape.RAMP)),
    PEAK_PLATEAU("peak/plateau", "the working set plateaus just under the limit; traffic bursts push it over",
            Verdict.PEAK_DEMAND, Cause.PEAK_DEMAND_OVER_LIMIT, 1, 6, p -> new DemandBehaviour(p, DemandBehaviour.Shape.PLATEAU)),
    STARTUP_HEAVY("startup/heavy", "a new revision's startup spike hits the limit right after each start: a crash loop",
            Verdict.PEAK_DEMAND, Cause.STARTUP_OR_BACKGROUND_JOB, 1, 4, StartupBehaviour::new),
    JOB_PERIODIC("job/periodic", "a periodic background job's memory spike on top of serving traffic exceeds the limit",
            Verdict.PEAK_DEMAND, Cause.STARTUP_OR_BACKGROUND_JOB, 1, 4, JobBehaviour::new),
    SCALE_TOO_FEW_REPLICAS("scale/too-few-replicas", "pinned at maxReplicas while traffic, per-replica load and memory grow",
            Verdict.PEAK_DEMAND, Cause.TOO_FEW_REPLICAS, 2, 10, p -> new DemandBehaviour(p, DemandBehaviour.Shape.TOO_FEW_REPLICAS)),
    OTHER_APPERROR("other/apperror", "the app exits with code 1 after exceptions; memory stays low",
            Verdict.OTHER_CRASH_CAUSE, Cause.NON_MEMORY_CRASH, 1, 4, p -> new CrashBehaviour(p, CrashBehaviour.Kind.APP_ERROR)),
    OTHER_PROBE("other/probe", "liveness probe failures (the app hangs) restart the container; memory stays low",
            Verdict.OTHER_CRASH_CAUSE, Cause.NON_MEMORY_CRASH, 1, 4, p -> new CrashBehaviour(p, CrashBehaviour.Kind.PROBE)),
    OTHER_BACKOFF("other/backoff", "a new revision fails to start (exit 1) and backs off; the old revision keeps serving",
            Verdict.OTHER_CRASH_CAUSE, Cause.NON_MEMORY_CRASH, 1, 3, p -> new CrashBehaviour(p, CrashBehaviour.Kind.BACKOFF)),
    OTHER_EXIT137_NO_OOM("other/exit137-no-oom", "exit code 137 after a shutdown timeout (SIGTERM ignored), with low memory",
            Verdict.OTHER_CRASH_CAUSE, Cause.NON_MEMORY_CRASH, 1, 4, p -> new CrashBehaviour(p, CrashBehaviour.Kind.EXIT_137_NO_OOM)),
    HEALTHY("healthy", "no restarts, memory flat well below the limit; the alert was a brief MemoryPercentage blip",
            Verdict.OTHER_CRASH_CAUSE, null, 1, 5, HealthyBehaviour::new),
    NODATA_METRICS_MISSING("nodata/metrics-missing", "the metrics source failed: no metrics, a gap entry, only ARM and logs",
            Verdict.INSUFFICIENT_EVIDENCE, null, 1, 4, null);

    private final String scenarioName;
    private final String description;
    private final Label label;
    private final int minReplicas;
    private final int maxReplicas;
    private final Function<ModelParameters, Behaviour> behaviour;

    Scenario(String scenarioName, String description, Verdict verdict, Cause cause, int minReplicas, int maxReplicas,
             Function<ModelParameters, Behaviour> behaviour) {
        this.scenarioName = scenarioName;
        this.description = description;
        this.label = new Label(verdict, cause);
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.behaviour = behaviour;
    }

    /** The name used on the command line and in labels, e.g. {@code leak/classic}. */
    public String scenarioName() {
        return scenarioName;
    }

    /** One line saying what the scenario does. */
    public String description() {
        return description;
    }

    /** The verdict and cause this scenario is built to have. */
    public Label label() {
        return label;
    }

    /** The family, e.g. {@code leak} for {@code leak/classic}. */
    public String family() {
        int slash = scenarioName.indexOf('/');
        return slash < 0 ? scenarioName : scenarioName.substring(0, slash);
    }

    /** The scenario with this name (case-insensitive), if any. */
    public static Optional<Scenario> byName(String name) {
        return Arrays.stream(values()).filter(s -> s.scenarioName.equalsIgnoreCase(name)).findFirst();
    }

    int minReplicas() {
        return minReplicas;
    }

    int maxReplicas() {
        return maxReplicas;
    }

    Behaviour behaviour(ModelParameters parameters) {
        return behaviour.apply(parameters);
    }
}
