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
    LEAK_RISING_TRAFFIC("leak/rising-traffic", "a leak while traffic rises through the window: after each restart memory drops to its baseline although traffic stays high, then climbs",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new LeakBehaviour(p, LeakBehaviour.Variant.RISING_TRAFFIC)),
    LEAK_CHURN("leak/churn", "autoscaling starts and stops replicas; each leaks from its own start and the long-lived ones are OOM-killed",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 2, p -> new LeakBehaviour(p, LeakBehaviour.Variant.CHURN), Twist.CHURN, 240, 720),
    LEAK_MEMORY_PERCENTAGE_ONLY("leak/memory-percentage-only", "a classic leak where WorkingSetBytes is missing: only MemoryPercentage shows memory",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new LeakBehaviour(p, LeakBehaviour.Variant.CLASSIC), Twist.WORKING_SET_MISSING, 180, 720),
    LEAK_SIDECAR("leak/sidecar", "the app container of a two-container replica leaks and is OOM-killed; a sidecar sits beside it",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new LeakBehaviour(p, LeakBehaviour.Variant.CLASSIC), Twist.SIDECAR, 180, 720),
    EARLY_LEAK("early/leak", "no restart yet: memory climbs steadily toward the limit whatever the traffic; a memory alert fired",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new EarlyBehaviour(p, EarlyBehaviour.Shape.LEAK), Twist.NONE, 360, 2880),
    EARLY_DAILY_PEAK("early/daily-peak", "no restart yet: memory follows a daily traffic cycle and nears the limit at the peak",
            Verdict.PEAK_DEMAND, Cause.PEAK_DEMAND_OVER_LIMIT, 1, 4, p -> new EarlyBehaviour(p, EarlyBehaviour.Shape.DAILY_PEAK), Twist.NONE, 2160, 4320),
    EARLY_FLAT_HIGH("early/flat-high", "no restart: memory sits flat near the limit whatever the traffic (sized tight, not growing)",
            Verdict.OTHER_CRASH_CAUSE, null, 1, 4, p -> new EarlyBehaviour(p, EarlyBehaviour.Shape.FLAT_HIGH), Twist.NONE, 180, 2880),
    PEAK_MEMORY_PERCENTAGE_ONLY("peak/memory-percentage-only", "traffic ramps and memory tracks it past the limit; WorkingSetBytes is missing",
            Verdict.PEAK_DEMAND, Cause.PEAK_DEMAND_OVER_LIMIT, 1, 6, p -> new DemandBehaviour(p, DemandBehaviour.Shape.RAMP), Twist.WORKING_SET_MISSING, 180, 720),
    SIDECAR_HEALTHY("sidecar/healthy", "a healthy two-container replica whose sidecar is listed first: flat memory above the sidecar's own limit",
            Verdict.OTHER_CRASH_CAUSE, null, 1, 4, HealthyBehaviour::new, Twist.SIDECAR_FIRST, 180, 720),
    HEALTHY("healthy", "no restarts, memory flat well below the limit; the alert was a brief MemoryPercentage blip",
            Verdict.OTHER_CRASH_CAUSE, null, 1, 5, HealthyBehaviour::new),
    JVM_HEAP_LEAK("jvm/heap-leak", "Java: the heap's floor after collections climbs toward the heap limit; committed heap grows to the heap limit and is held, so the working set levels off near the container limit; no restart yet",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new JvmBehaviour(p, JvmBehaviour.Case.HEAP_LEAK), Twist.NONE, 180, 720),
    JVM_OFF_HEAP("jvm/off-heap", "Java: heap used is flat while direct buffers, threads or metaspace grow until the kernel kills the container",
            Verdict.LEAK_SUSPECTED, Cause.OFF_HEAP_GROWTH, 1, 4, p -> new JvmBehaviour(p, JvmBehaviour.Case.OFF_HEAP)),
    JVM_HEAP_PAST_CONTAINER("jvm/heap-past-container", "Java: a healthy heap whose limit plus non-heap exceeds the container limit; committed heap expands under load until the kernel kills it",
            Verdict.PEAK_DEMAND, Cause.HEAP_SIZED_PAST_CONTAINER, 1, 4, p -> new JvmBehaviour(p, JvmBehaviour.Case.HEAP_PAST_CONTAINER)),
    JVM_OUT_OF_MEMORY_ERROR("jvm/out-of-memory-error", "Java: the heap leaks to its limit and the JVM exits on java.lang.OutOfMemoryError (no OOM kill, no exit 137)",
            Verdict.LEAK_SUSPECTED, Cause.APPLICATION_LEAK, 1, 4, p -> new JvmBehaviour(p, JvmBehaviour.Case.OUT_OF_MEMORY_ERROR)),
    NODATA_METRICS_MISSING("nodata/metrics-missing", "the metrics source failed: no metrics, a gap entry, only ARM and logs",
            Verdict.INSUFFICIENT_EVIDENCE, null, 1, 4, null);

    private final String scenarioName;
    private final String description;
    private final Label label;
    private final int minReplicas;
    private final int maxReplicas;
    private final Function<ModelParameters, Behaviour> behaviour;
    private final Twist twist;
    private final int minWindowMinutes;
    private final int maxWindowMinutes;

    /** What the model changes beyond the behaviour: which metrics exist, containers, replica life. */
    enum Twist {
        NONE,
        /** WorkingSetBytes is not in the bundle (denied or missing); MemoryPercentage is. */
        WORKING_SET_MISSING,
        /** Each replica runs the app and a sidecar container; the app container is listed first. */
        SIDECAR,
        /** As {@link #SIDECAR}, with the sidecar listed first in the template. */
        SIDECAR_FIRST,
        /** Autoscaling starts and stops replicas through the window. */
        CHURN
    }

    Scenario(String scenarioName, String description, Verdict verdict, Cause cause, int minReplicas, int maxReplicas,
             Function<ModelParameters, Behaviour> behaviour) {
        this(scenarioName, description, verdict, cause, minReplicas, maxReplicas, behaviour, Twist.NONE, 180, 720);
    }

    Scenario(String scenarioName, String description, Verdict verdict, Cause cause, int minReplicas, int maxReplicas,
             Function<ModelParameters, Behaviour> behaviour, Twist twist, int minWindowMinutes, int maxWindowMinutes) {
        this.twist = twist;
        this.minWindowMinutes = minWindowMinutes;
        this.maxWindowMinutes = maxWindowMinutes;
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

    Twist twist() {
        return twist;
    }

    int minWindowMinutes() {
        return minWindowMinutes;
    }

    int maxWindowMinutes() {
        return maxWindowMinutes;
    }

    Behaviour behaviour(ModelParameters parameters) {
        return behaviour.apply(parameters);
    }
}
