package io.oomresponder.simulator;

import io.oomresponder.evidence.MetricPoint;
import io.oomresponder.evidence.MetricSeries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Java app with Container Apps' Java metrics turned on: the working set is what the JVM holds
 * (committed heap, non-heap pools, direct buffers, thread stacks, its own native structures), and
 * the JVM's own series show what is inside it. Realistic JVM behaviour the four cases share:
 * committed heap is held once grown (the JVM does not give it back), heap used is a collection
 * sawtooth (the floor after each young collection is the live set), every pool has its own series,
 * and collections come more often and take longer as the free heap shrinks.
 * <ul>
 * <li>{@link Case#HEAP_LEAK}: the live set (the heap's floor) climbs toward the heap limit; committed
 * heap follows it (40% kept free) until it reaches the heap limit and is held there, so the working
 * set levels off near the container limit while the heap keeps filling; no restart yet.</li>
 * <li>{@link Case#OFF_HEAP}: heap used is flat; direct buffers, threads or metaspace grow
 * (the seed picks which) until the kernel kills the container (exit 137), then grow again.</li>
 * <li>{@link Case#HEAP_PAST_CONTAINER}: a healthy heap whose limit, with non-heap and buffers,
 * exceeds the container's limit: committed heap expands under load until the kernel kills it.</li>
 * <li>{@link Case#OUT_OF_MEMORY_ERROR}: the heap leaks to its limit inside a container with room
 * to spare; the JVM throws {@code java.lang.OutOfMemoryError: Java heap space} and exits (code 3
 * with {@code -XX:+ExitOnOutOfMemoryError}, 134 with {@code CrashOnOutOfMemoryError}, 1 when the
 * main thread dies of it): no OOM kill, no exit 137.</li>
 * </ul>
 * Metric names, units, aggregations and dimensions follow Learn's supported-metrics reference for
 * Microsoft.App/containerApps (docs/azure-contract.md, "Java metrics"); where the reference is
 * silent (dimension values, whether a GC count bucket is a delta or a running count) the seed
 * picks one of the readings.
 */
final class JvmBehaviour implements Behaviour {

    /** Which Java case. */
    enum Case { HEAP_LEAK, OFF_HEAP, HEAP_PAST_CONTAINER, OUT_OF_MEMORY_ERROR }

    /** Which part outside the heap grows ({@link Case#OFF_HEAP}). */
    enum OffHeapPart { DIRECT_BUFFERS, THREADS, METASPACE }

    private static final double MIB = 1 << 20;
    /** -XX:MinHeapFreeRatio's default (40%): the heap is expanded to keep this share of it free after a collection. */
    static final double MIN_HEAP_FREE_RATIO = 0.40;

    private final ModelParameters p;
    private final Case jcase;
    private final OffHeapPart part;
    private final double[] traffic;
    private final double limit;
    /** -Xmx (the heap pools' limit). */
    final double heapMax;
    /** The live set of a fresh, warmed-up JVM. */
    private final double liveBase;
    /** Young generation the collector sizes for normal load. */
    private final double youngBytes;
    private final double metaspaceBase;
    private final double codeCacheBase;
    private final double directBase;
    private final double mappedBytes;
    private final int threadBase;
    private final double bytesPerThread;
    private final double nativeBase;
    /** Growth per minute of the leaking part (live set, buffers, threads or metaspace). */
    private final double growthPerMinute;
    /** HEAP_PAST_CONTAINER: committed heap expansion per minute at normal load. */
    private final double expansionPerMinute;
    private final JvmNames names;
    private final boolean gcCumulative;
    private final int oomeExit;
    private final AlertKind alertKind;
    private final Map<Integer, Jvm> jvms = new HashMap<>();

    JvmBehaviour(ModelParameters p, Case jcase) {
        this.p = p;
        this.jcase = jcase;
        this.limit = p.limitBytes();
        this.part = OffHeapPart.values()[p.rnd().nextInt(OffHeapPart.values().length)];
        this.names = JvmNames.draw(p.rnd());
        this.gcCumulative = p.rnd().nextBoolean();
        this.traffic = Traffic.steady(p.rnd(), p.minutes(), p.requestsPerReplicaMinute() * p.replicas(), p.between(0.05, 0.25));
        this.metaspaceBase = limit * p.between(0.05, 0.08);
        this.codeCacheBase = limit * p.between(0.015, 0.03);
        this.directBase = limit * p.between(0.005, 0.02);
        this.mappedBytes = p.rnd().nextBoolean() ? 0 : limit * p.between(0.001, 0.004);
        this.threadBase = p.between(25, 80);
        this.bytesPerThread = limit * p.between(0.0002, 0.0005);
        this.nativeBase = limit * p.between(0.02, 0.035);
        double fixed = metaspaceBase * 1.12 + codeCacheBase + directBase + mappedBytes + threadBase * bytesPerThread + nativeBase;
        // Committed heap plus what the JVM needs beside it: the working set a full heap gives.
        double target = switch (jcase) {
            case HEAP_LEAK -> p.between(0.86, 0.92);
            case OFF_HEAP -> p.between(0.50, 0.62);
            case HEAP_PAST_CONTAINER -> p.between(1.08, 1.30);
            case OUT_OF_MEMORY_ERROR -> p.between(0.55, 0.72);
        };
        this.heapMax = Math.max(limit * 0.2, (target * limit - fixed) / 1.03);
        this.liveBase = heapMax * p.between(0.28, 0.42);
        this.youngBytes = heapMax * p.between(0.12, 0.2);
        double grow = switch (jcase) {
            // The oldest replica's live set reaches 88-96% of the heap at the window's end.
            case HEAP_LEAK -> heapMax * (p.between(0.88, 0.96) - 0.42) / p.minutes();
            case OUT_OF_MEMORY_ERROR -> (heapMax - liveBase) / (p.minutes() / p.between(2.5, 4.5));
            case OFF_HEAP -> (limit * 0.995 - (heapMax * 0.8 + fixed)) / (p.minutes() / p.between(2.5, 4.5));
            case HEAP_PAST_CONTAINER -> 0;
        };
        this.growthPerMinute = jcase == Case.OFF_HEAP && part == OffHeapPart.THREADS ? grow / bytesPerThread : grow;
        this.expansionPerMinute = jcase == Case.HEAP_PAST_CONTAINER ? heapMax / (p.minutes() / p.between(2.5, 4.5)) : 0;
        this.oomeExit = List.of(3, 3, 134, 1).get(p.rnd().nextInt(4));
        this.alertKind = switch (jcase) {
            case HEAP_LEAK -> p.rnd().nextBoolean() ? AlertKind.WORKING_SET : AlertKind.MEMORY_PERCENTAGE;
            case OUT_OF_MEMORY_ERROR -> AlertKind.RESTART_COUNT;
            default -> p.rnd().nextDouble() < 0.3 ? AlertKind.OOM_LOG : AlertKind.RESTART_COUNT;
        };
    }

    /** What one JVM holds now, and what it wrote per minute (NaN: no sample). */
    private static final class Jvm {
        double live;
        double committed;
        double metaspace;
        double direct;
        double threads;
        double gcYoungTotal;
        double gcOldTotal;
        double gcYoungMsTotal;
        double gcOldMsTotal;
        boolean failed;
        final double[] heapMin;
        final double[] heapMax;
        final double[] heapCommitted;
        final double[] oldMin;
        final double[] oldMax;
        final double[] edenMax;
        final double[] survivorMax;
        final double[] metaspaceUsed;
        final double[] compressedClassUsed;
        final double[] codeCacheUsed;
        final double[] nonHeapCommitted;
        final double[] directUsed;
        final double[] mappedUsed;
        final double[] bufferCount;
        final double[] threadCount;
        final double[] gcYoung;
        final double[] gcOld;
        final double[] gcYoungMs;
        final double[] gcOldMs;

        Jvm(int minutes) {
            heapMin = nan(minutes);
            heapMax = nan(minutes);
            heapCommitted = nan(minutes);
            oldMin = nan(minutes);
            oldMax = nan(minutes);
            edenMax = nan(minutes);
            survivorMax = nan(minutes);
            metaspaceUsed = nan(minutes);
            compressedClassUsed = nan(minutes);
            codeCacheUsed = nan(minutes);
            nonHeapCommitted = nan(minutes);
            directUsed = nan(minutes);
            mappedUsed = nan(minutes);
            bufferCount = nan(minutes);
            threadCount = nan(minutes);
            gcYoung = nan(minutes);
            gcOld = nan(minutes);
            gcYoungMs = nan(minutes);
            gcOldMs = nan(minutes);
        }

        private static double[] nan(int n) {
            double[] a = new double[n];
            Arrays.fill(a, Double.NaN);
            return a;
        }
    }

    @Override
    public double[] traffic() {
        return traffic;
    }

    @Override
    public void initialise(ReplicaState r) {
        Jvm j = new Jvm(p.minutes());
        jvms.put(r.index, j);
        fresh(j);
        double pace = jcase == Case.HEAP_LEAK ? 0.9 + 0.2 * r.rnd.nextDouble() : 0.85 + 0.3 * r.rnd.nextDouble();
        r.rate = (jcase == Case.HEAP_PAST_CONTAINER ? expansionPerMinute : growthPerMinute) * pace;
        if (r.firstMinute > 0) {
            return;
        }
        // A replica from before the window: its JVM has run for a while.
        double age = r.rnd.nextDouble();
        switch (jcase) {
            case HEAP_LEAK -> {
                // Replicas started at different times: the oldest ends the window near the heap limit.
                j.live = heapMax * (0.42 - 0.1 * age);
                j.committed = Math.min(heapMax, j.live / (1 - MIN_HEAP_FREE_RATIO));
            }
            case OUT_OF_MEMORY_ERROR -> {
                j.live = liveBase + (heapMax * 0.9 - liveBase) * age * 0.8;
                j.committed = Math.min(heapMax, Math.max(j.committed, j.live + youngBytes * 1.3));
            }
            case OFF_HEAP -> {
                grow(j, r.rate * age * 0.7 * (p.minutes() / 3.0));
                j.committed = heapMax * 0.8;
            }
            case HEAP_PAST_CONTAINER -> j.committed = heapMax * (0.35 + 0.25 * age);
        }
    }

    private void fresh(Jvm j) {
        j.live = liveBase;
        j.committed = Math.min(heapMax, Math.max(heapMax / 4, liveBase + youngBytes * 1.2));
        j.metaspace = metaspaceBase;
        j.direct = directBase;
        j.threads = threadBase;
        j.failed = false;
    }

    private void grow(Jvm j, double amount) {
        switch (part) {
            case DIRECT_BUFFERS -> j.direct += amount;
            case THREADS -> j.threads += amount;
            case METASPACE -> j.metaspace += amount;
        }
    }

    @Override
    public double demand(ReplicaState r, int minute, double load) {
        Jvm j = jvms.get(r.index);
        double relative = load / Math.max(1e-9, p.requestsPerReplicaMinute() * r.share);
        switch (jcase) {
            case HEAP_LEAK, OUT_OF_MEMORY_ERROR -> j.live = Math.min(heapMax * (jcase == Case.HEAP_LEAK ? 0.97 : 0.995), j.live + r.rate * (0.8 + 0.2 * relative) * (1 + 0.15 * r.gaussian()));
            case OFF_HEAP -> grow(j, r.rate * (0.8 + 0.2 * relative) * Math.max(0, 1 + 0.15 * r.gaussian()));
            case HEAP_PAST_CONTAINER -> j.committed = Math.min(heapMax, j.committed + r.rate * relative * relative * Math.max(0, 1 + 0.3 * r.gaussian()));
        }
        double live = j.live * (1 + 0.01 * r.gaussian()) + liveBase * 0.05 * Math.max(0, relative - 1);
        double free = Math.max(heapMax * 0.005, heapMax - live);
        // The collector shrinks the young generation as the free heap shrinks: more, longer collections.
        double young = Math.max(heapMax * 0.004, Math.min(youngBytes, free * 0.7));
        // The collector expands the heap to keep MinHeapFreeRatio of it free (and room for the young
        // generation), up to the heap limit; it never gives committed heap back.
        j.committed = Math.min(heapMax, Math.max(j.committed, Math.max(live + young * 1.2, live / (1 - MIN_HEAP_FREE_RATIO))));
        double allocation = youngBytes * (2 + 3 * relative);
        double youngGcs = Math.max(0, Math.round(allocation / young * (1 + 0.12 * r.gaussian())));
        double occupancy = live / heapMax;
        double oldGcs = occupancy > 0.45 ? Math.max(0, Math.round((occupancy - 0.45) * 8 * (1 + 0.2 * r.gaussian())
                + (occupancy > 0.9 ? 20 * (occupancy - 0.9) / 0.1 : 0))) : (r.rnd.nextInt(40) == 0 ? 1 : 0);
        double youngMs = youngGcs * (4 + 25 * occupancy) * (1 + 0.1 * r.gaussian());
        double oldMs = oldGcs * (40 + 600 * occupancy * occupancy) * (1 + 0.1 * r.gaussian());
        double survivor = young * 0.08;
        double codeCache = codeCacheBase * (0.5 + 0.5 * (1 - Math.exp(-(r.minutesSinceStart + 1) / 30.0)));
        double compressed = j.metaspace * 0.12;
        double nonHeapCommitted = (j.metaspace + compressed) * 1.04 + codeCache * 1.06;
        double threadBytes = j.threads * bytesPerThread;
        double ws = j.committed + nonHeapCommitted + j.direct + mappedBytes + threadBytes + nativeBase + j.committed * 0.03;

        j.heapMin[minute] = live + survivor;
        j.heapMax[minute] = Math.min(j.committed, live + survivor + young * (0.8 + 0.2 * r.rnd.nextDouble()));
        j.heapCommitted[minute] = j.committed;
        j.oldMin[minute] = live;
        j.oldMax[minute] = live + young * 0.05 * r.rnd.nextDouble();
        j.edenMax[minute] = young * (0.8 + 0.2 * r.rnd.nextDouble());
        j.survivorMax[minute] = survivor;
        j.metaspaceUsed[minute] = j.metaspace;
        j.compressedClassUsed[minute] = compressed;
        j.codeCacheUsed[minute] = codeCache;
        j.nonHeapCommitted[minute] = nonHeapCommitted;
        j.directUsed[minute] = j.direct;
        j.mappedUsed[minute] = mappedBytes;
        j.bufferCount[minute] = Math.round(j.direct / (64 * 1024.0)) + 4;
        j.threadCount[minute] = Math.round(j.threads);
        j.gcYoungTotal += youngGcs;
        j.gcOldTotal += oldGcs;
        j.gcYoungMsTotal += youngMs;
        j.gcOldMsTotal += oldMs;
        j.gcYoung[minute] = gcCumulative ? j.gcYoungTotal : youngGcs;
        j.gcOld[minute] = gcCumulative ? j.gcOldTotal : oldGcs;
        j.gcYoungMs[minute] = gcCumulative ? j.gcYoungMsTotal : youngMs;
        j.gcOldMs[minute] = gcCumulative ? j.gcOldMsTotal : oldMs;
        if (jcase == Case.OUT_OF_MEMORY_ERROR && live >= heapMax * 0.97) {
            j.failed = true;
        }
        return ws;
    }

    @Override
    public Crash crash(ReplicaState r, int minute) {
        Jvm j = jvms.get(r.index);
        if (!j.failed) {
            return null;
        }
        int second = 20 + r.rnd.nextInt(30);
        List<Crash.ConsoleEntry> console = new ArrayList<>();
        console.add(new Crash.ConsoleEntry(-2, "stderr", "java.lang.OutOfMemoryError: Java heap space"));
        switch (oomeExit) {
            case 3 -> {
                console.add(new Crash.ConsoleEntry(-1, "stderr", "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)"));
                console.add(new Crash.ConsoleEntry(0, "stdout", "Terminating due to java.lang.OutOfMemoryError: Java heap space"));
            }
            case 134 -> {
                console.add(new Crash.ConsoleEntry(0, "stdout", "Aborting due to java.lang.OutOfMemoryError: Java heap space"));
                console.add(new Crash.ConsoleEntry(0, "stdout", "# A fatal error has been detected by the Java Runtime Environment:"));
            }
            default -> console.set(0, new Crash.ConsoleEntry(-2, "stderr",
                    "Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"));
        }
        return new Crash(second, List.of(Crash.terminated(1, oomeExit, "Error")), console, 0);
    }

    @Override
    public void restarted(ReplicaState r, int minute, boolean oom) {
        Jvm j = jvms.get(r.index);
        fresh(j);
        r.accumulated = 0;
    }

    @Override
    public int restartsBefore(ReplicaState r, long ageMinutes) {
        return jcase == Case.HEAP_LEAK ? 0 : r.rnd.nextInt(3);
    }

    @Override
    public AlertKind alertKind() {
        return alertKind;
    }

    @Override
    public AppRuntime requiredRuntime() {
        return AppRuntime.JVM;
    }

    @Override
    public double memoryAlertPercent() {
        return jcase == Case.HEAP_LEAK ? 80 : 85;
    }

    /**
     * The Java metrics of one replica, split as the reference lists them: pools by poolName and
     * poolType, totals by poolType, buffers by poolName, collections by gcName, threads by daemon
     * and threadState; every series also carries revisionName, podName and container. A minute
     * without a working-set sample (lost scrape, container down) has no JVM sample either.
     */
    @Override
    public List<MetricSeries> runtimeSeries(ReplicaState r, Instant[] times) {
        Jvm j = jvms.get(r.index);
        if (j == null) {
            return List.of();
        }
        List<MetricSeries> out = new ArrayList<>();
        Map<String, String> base = new LinkedHashMap<>();
        base.put("revisionName", r.revision);
        base.put("podName", r.name);
        base.put("container", "app");
        Series s = new Series(out, base, times, r.workingSetMax);
        String heap = names.heapType();
        String nonHeap = names.nonHeapType();
        s.pool("JvmMemoryUsed", names.oldGen(), heap, j.oldMin, j.oldMax);
        s.pool("JvmMemoryUsed", names.eden(), heap, zeroes(j.edenMax), j.edenMax);
        s.pool("JvmMemoryUsed", names.survivor(), heap, j.survivorMax, j.survivorMax);
        s.pool("JvmMemoryUsed", "Metaspace", nonHeap, j.metaspaceUsed, j.metaspaceUsed);
        s.pool("JvmMemoryUsed", "Compressed Class Space", nonHeap, j.compressedClassUsed, j.compressedClassUsed);
        s.pool("JvmMemoryUsed", names.codeCache(), nonHeap, j.codeCacheUsed, j.codeCacheUsed);
        s.total("JvmMemoryTotalUsed", heap, "Minimum", j.heapMin);
        s.total("JvmMemoryTotalUsed", heap, "Maximum", j.heapMax);
        double[] nonHeapUsed = new double[times.length];
        for (int m = 0; m < times.length; m++) {
            nonHeapUsed[m] = j.metaspaceUsed[m] + j.compressedClassUsed[m] + j.codeCacheUsed[m];
        }
        s.total("JvmMemoryTotalUsed", nonHeap, "Minimum", nonHeapUsed);
        s.total("JvmMemoryTotalUsed", nonHeap, "Maximum", nonHeapUsed);
        s.total("JvmMemoryTotalCommitted", heap, "Maximum", j.heapCommitted);
        s.total("JvmMemoryTotalCommitted", nonHeap, "Maximum", j.nonHeapCommitted);
        // The non-heap pools have no maximum by default (JMX reports -1), so only the heap has a limit.
        s.total("JvmMemoryTotalLimit", heap, "Maximum", constant(heapMax, j.heapCommitted));
        s.buffer("JvmBufferMemoryUsage", "direct", j.directUsed);
        s.buffer("JvmBufferMemoryLimit", "direct", j.directUsed);
        s.buffer("JvmBufferCount", "direct", j.bufferCount);
        if (mappedBytes > 0) {
            s.buffer("JvmBufferMemoryUsage", "mapped", j.mappedUsed);
            s.buffer("JvmBufferMemoryLimit", "mapped", j.mappedUsed);
            s.buffer("JvmBufferCount", "mapped", scaled(j.mappedUsed, 0, 2));
        }
        s.gc("JvmGcCount", "Count", names.youngGc(), j.gcYoung);
        s.gc("JvmGcCount", "Count", names.oldGc(), j.gcOld);
        s.gc("JvmGcDuration", "Milliseconds", names.youngGc(), j.gcYoungMs);
        s.gc("JvmGcDuration", "Milliseconds", names.oldGc(), j.gcOldMs);
        // Threads split by daemon and state: most are waiting daemon threads of pools.
        s.threads("true", "waiting", scaled(j.threadCount, 0.55, 0));
        s.threads("true", "timed_waiting", scaled(j.threadCount, 0.25, 0));
        s.threads("false", "runnable", scaled(j.threadCount, 0.15, 1));
        s.threads("false", "blocked", scaled(j.threadCount, 0.05, 0));
        return out;
    }

    private static double[] zeroes(double[] like) {
        double[] z = new double[like.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = Double.isNaN(like[i]) ? Double.NaN : 0;
        }
        return z;
    }

    private static double[] constant(double value, double[] like) {
        double[] c = new double[like.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = Double.isNaN(like[i]) ? Double.NaN : value;
        }
        return c;
    }

    private static double[] scaled(double[] values, double share, double plus) {
        double[] out = new double[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(values[i]) ? Double.NaN : Math.round(values[i] * share) + plus;
        }
        return out;
    }

    /** Writes the series of one replica with the shared dimensions; NaN where the replica had no sample. */
    private record Series(List<MetricSeries> out, Map<String, String> base, Instant[] times, double[] sampled) {

        void pool(String metric, String poolName, String poolType, double[] min, double[] max) {
            Map<String, String> d = dims("poolName", poolName, "poolType", poolType);
            out.add(series(metric, "Minimum", "Bytes", d, min));
            out.add(series(metric, "Maximum", "Bytes", d, max));
        }

        void total(String metric, String poolType, String aggregation, double[] values) {
            out.add(series(metric, aggregation, "Bytes", dims("poolType", poolType), values));
        }

        void buffer(String metric, String poolName, double[] values) {
            out.add(series(metric, "Maximum", metric.equals("JvmBufferCount") ? "Count" : "Bytes", dims("poolName", poolName), values));
        }

        void gc(String metric, String unit, String gcName, double[] values) {
            out.add(series(metric, "Total", unit, dims("gcName", gcName), values));
        }

        void threads(String daemon, String state, double[] values) {
            out.add(series("JvmThreadCount", "Maximum", "Count", dims("daemon", daemon, "threadState", state), values));
        }

        private Map<String, String> dims(String... kv) {
            Map<String, String> d = new LinkedHashMap<>(base);
            for (int i = 0; i < kv.length; i += 2) {
                d.put(kv[i], kv[i + 1]);
            }
            return d;
        }

        private MetricSeries series(String metric, String aggregation, String unit, Map<String, String> d, double[] values) {
            List<MetricPoint> points = new ArrayList<>(times.length);
            for (int m = 0; m < times.length; m++) {
                double v = values[m];
                boolean has = !Double.isNaN(v) && !Double.isNaN(sampled[m]);
                points.add(new MetricPoint(times[m], has ? (double) Math.round(v) : null));
            }
            return new MetricSeries(metric, aggregation, unit, d, points);
        }
    }

    /**
     * The names a JVM gives its pools and collectors, and the poolType values: the reference lists
     * the dimensions but not their values, so the seed picks the collector (G1 or Parallel) and one
     * of the spellings of heap / non-heap (OpenTelemetry's {@code heap}/{@code non_heap}, JMX's
     * {@code HEAP}/{@code NON_HEAP} or its display names).
     */
    record JvmNames(String oldGen, String eden, String survivor, String codeCache, String youngGc, String oldGc,
                    String heapType, String nonHeapType) {

        static JvmNames draw(java.util.SplittableRandom rnd) {
            String[][] types = {{"heap", "non_heap"}, {"HEAP", "NON_HEAP"}, {"Heap memory", "Non-heap memory"}};
            String[] t = types[rnd.nextInt(types.length)];
            String code = rnd.nextBoolean() ? "CodeHeap 'non-profiled nmethods'" : "CodeCache";
            if (rnd.nextInt(3) == 0) {
                return new JvmNames("PS Old Gen", "PS Eden Space", "PS Survivor Space", code, "PS Scavenge", "PS MarkSweep", t[0], t[1]);
            }
            return new JvmNames("G1 Old Gen", "G1 Eden Space", "G1 Survivor Space", code, "G1 Young Generation", "G1 Old Generation", t[0], t[1]);
        }
    }

    /** For tests and descriptions: the heap limit as a share of the container limit. */
    double heapToLimit() {
        return heapMax / limit;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "JVM %s (%s): heap %.0f MiB of %.0f MiB", jcase, part, heapMax / MIB, limit / MIB);
    }
}
