package io.oomresponder.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node JVM: what the JVM's own memory says, for a Java app. It runs after node C (C′ before any
 * restart) when the bundle has Container Apps' Java metrics or the console has a
 * {@code java.lang.OutOfMemoryError}, because container metrics alone mislead for Java: the JVM
 * keeps the heap it has committed, so the working set sits flat near the limit while the heap
 * fills, or rises while the heap is healthy. In order of precedence it concludes:
 * <ol>
 * <li>a heap leak ({@link HeapFloorTrend}): G, LEAK_SUSPECTED, APPLICATION_LEAK, with the heap's
 * exhaustion projected;</li>
 * <li>off-heap growth ({@link OffHeapGrowth}): G, LEAK_SUSPECTED, OFF_HEAP_GROWTH, naming the part;</li>
 * <li>a Java OutOfMemoryError without a measured growth ({@link JavaOutOfMemoryErrors}): the heap
 * ran out → H, PEAK_DEMAND; metaspace, direct buffers or threads ran out → G, OFF_HEAP_GROWTH;</li>
 * <li>a heap sized past the container ({@link HeapSizing}) with memory kills or memory near the
 * limit: H, PEAK_DEMAND, HEAP_SIZED_PAST_CONTAINER.</li>
 * </ol>
 * Otherwise it states the JVM's figures and the flowchart goes on. A Java OutOfMemoryError also
 * makes node C answer yes ({@link #amend}): memory ran out inside the JVM, so "not a memory
 * problem" would be wrong whatever the exit code.
 */
final class JvmMemoryNode {

    static final String NODE = "JVM";

    /**
     * What the node measured and, when the JVM's evidence decides, its conclusion.
     *
     * @param present     the bundle has Java metrics
     * @param conclusion  the terminal node the JVM's evidence leads to, or null to go on
     */
    record Outcome(DecisionStep step, boolean present, JvmTimelines jvm, HeapFloorTrend heap, OffHeapGrowth offHeap,
                   HeapSizing sizing, JavaOutOfMemoryErrors errors, Conclusion conclusion) {

        /** Whether the node has anything to say (Java metrics or a Java OutOfMemoryError). */
        boolean relevant() {
            return step != null;
        }
    }

    private JvmMemoryNode() {
    }

    static Outcome decide(RestartsNode.Outcome a, WorkingSetNode.Outcome b) {
        JavaOutOfMemoryErrors errors = JavaOutOfMemoryErrors.of(a.bundle());
        boolean present = JvmTimelines.anyIn(a.bundle());
        if (!present && !errors.any()) {
            return new Outcome(null, false, null, HeapFloorTrend.NONE, OffHeapGrowth.NONE, null, errors, null);
        }
        JvmTimelines jvm = JvmTimelines.of(a.bundle(), a.app().grid());
        Map<String, List<Integer>> restarts = restartIndex(a);
        long containerLimit = containerLimit(a, jvm);
        HeapFloorTrend heap = present ? HeapFloorTrend.of(jvm, restarts) : HeapFloorTrend.NONE;
        OffHeapGrowth offHeap = present && containerLimit > 0 ? OffHeapGrowth.of(jvm, a.app(), containerLimit, restarts) : OffHeapGrowth.NONE;
        HeapSizing sizing = present && containerLimit > 0 ? HeapSizing.of(jvm, containerLimit) : null;

        Map<String, Object> n = new LinkedHashMap<>();
        n.put("javaMetrics", present);
        double heapPeak = Double.NaN;
        for (JvmTimelines.Replica r : jvm.replicas()) {
            if (r.heapPeak() != null) {
                double p = JvmTimelines.Replica.max(r.heapPeak());
                heapPeak = heapPeak != heapPeak || p > heapPeak ? p : heapPeak;
            }
        }
        if (heapPeak == heapPeak) {
            n.put("heapUsedPeakBytes", Narrative.round(heapPeak));
        }
        if (sizing != null && sizing.known()) {
            n.put("heapLimitBytes", Narrative.round(sizing.heapLimitBytes()));
            n.put("nonHeapCommittedBytes", Narrative.round(sizing.nonHeapCommittedBytes()));
            n.put("bufferBytes", Narrative.round(sizing.buffersBytes()));
            n.put("containerLimitBytes", containerLimit);
            n.put("jvmNeedsToContainer", Narrative.round(sizing.jvmBytes() / containerLimit));
        }
        if (heap.replica() != null || heap.segmentsMeasured() > 0) {
            n.put("heapFloorSegmentsMeasured", heap.segmentsMeasured());
            n.put("replicasWithRisingHeapFloor", heap.replicasLeaking());
            n.put("minFloorRiseShareOfHeapLimit", HeapFloorTrend.MIN_RISE_SHARE);
        }
        if (heap.leaking()) {
            n.put("heapFloorStartBytes", Narrative.round(heap.floorStartBytes()));
            n.put("heapFloorEndBytes", Narrative.round(heap.floorEndBytes()));
            n.put("heapFloorToLimit", Narrative.round(heap.floorEndToLimit()));
            n.put("heapFloorGrowthBytesPerHour", Narrative.round(heap.slopeBytesPerHour()));
            n.put("heapFloorMannKendallZ", Narrative.round(heap.mannKendallZ()));
            n.put("gcPerMinuteStart", Narrative.round(heap.gcStart()));
            n.put("gcPerMinuteEnd", Narrative.round(heap.gcEnd()));
            n.put("gcMillisPerMinuteStart", Narrative.round(heap.gcMillisStart()));
            n.put("gcMillisPerMinuteEnd", Narrative.round(heap.gcMillisEnd()));
            if (heap.exhaustionEarliest() != null) {
                n.put("heapExhaustionEarliest", heap.exhaustionEarliest().toString());
            }
            if (heap.exhaustionLatest() != null) {
                n.put("heapExhaustionLatest", heap.exhaustionLatest().toString());
            }
        }
        if (offHeap.growing()) {
            n.put("offHeapPart", offHeap.part().name());
            n.put("offHeapPartWords", offHeap.part().words());
            n.put("outsideHeapRiseBytes", Narrative.round(offHeap.outsideHeapRiseBytes()));
            n.put("outsideHeapRiseMinutes", Narrative.round(offHeap.spanMinutes()));
            n.put("partRiseBytes", Narrative.round(offHeap.partRiseBytes()));
            n.put("threadsStart", Narrative.round(offHeap.threadsStart()));
            n.put("threadsEnd", Narrative.round(offHeap.threadsEnd()));
            n.put("heapFloorRiseBytes", Narrative.round(offHeap.heapFloorRiseBytes()));
        }
        if (errors.any()) {
            n.put("javaOutOfMemoryErrors", errors.errors());
            n.put("javaOutOfMemoryErrorMemory", errors.main().name());
            n.put("javaOutOfMemoryErrorMessage", errors.message());
            n.put("exitCodesAfterError", List.copyOf(errors.exitCodes()));
        }

        List<String> said = new ArrayList<>();
        Conclusion end = null;
        if (heap.leaking()) {
            said.add(heapLeakText(heap));
            end = conclusion("G", "Leak or unbounded buffer?", "A heap leak: " + heapLeakText(heap) + "."
                            + (heap.exhaustionEarliest() == null ? "" : " The heap is projected to run out " + range(heap) + "."),
                    n, Diagnosis.Verdict.LEAK_SUSPECTED, List.of(Diagnosis.Cause.APPLICATION_LEAK),
                    Math.sqrt((1 - RobustTrend.upperTail(heap.mannKendallZ())) * Math.min(1, heap.floorEndToLimit() / 0.8)),
                    projection(heap));
        } else if (offHeap.growing()) {
            said.add(offHeapText(offHeap));
            end = conclusion("G", "Leak or unbounded buffer?", "Memory outside the heap grows: " + offHeapText(offHeap) + ".",
                    n, Diagnosis.Verdict.LEAK_SUSPECTED, List.of(Diagnosis.Cause.OFF_HEAP_GROWTH, Diagnosis.Cause.APPLICATION_LEAK),
                    Math.min(1, offHeap.outsideHeapRiseBytes() / (0.3 * containerLimit)) * (offHeap.part() == OffHeapGrowth.Part.NATIVE ? 0.7 : 1),
                    null);
        } else if (errors.any()) {
            boolean heapRanOut = errors.main() == JavaOutOfMemoryErrors.Memory.HEAP || errors.main() == JavaOutOfMemoryErrors.Memory.OTHER;
            said.add(errorText(errors));
            end = heapRanOut
                    ? conclusion("H", "What demand exceeds the limit?", "The heap ran out (" + errorText(errors)
                            + ") without a heap floor that rises steadily" + (present ? "" : " (no Java metrics to tell)")
                            + ": the heap is too small for the demand, or a leak the window does not show.", n,
                    Diagnosis.Verdict.PEAK_DEMAND, List.of(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT), present ? 0.6 : 0.45, null)
                    : conclusion("G", "Leak or unbounded buffer?", "Memory outside the heap ran out: " + errorText(errors) + ".", n,
                    Diagnosis.Verdict.LEAK_SUSPECTED, List.of(Diagnosis.Cause.OFF_HEAP_GROWTH), 0.6, null);
        }
        boolean memoryPressure = a.memoryKills() > 0 || b.peakToLimit() >= WorkingSetNode.PEAK_NEAR_LIMIT_FRACTION;
        if (sizing != null && sizing.pastContainer()) {
            said.add(sizingText(sizing));
            if (end == null && memoryPressure) {
                end = conclusion("H", "What demand exceeds the limit?", "The heap is sized past the container: " + sizingText(sizing)
                                + ". The kernel kills the process when the heap grows into what it is allowed, however healthy the heap is"
                                + " (its floor does not rise: " + heap.segmentsMeasured() + " segment(s) measured).", n,
                        Diagnosis.Verdict.PEAK_DEMAND, List.of(Diagnosis.Cause.HEAP_SIZED_PAST_CONTAINER, Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT),
                        Math.min(1, 0.6 + 2 * (sizing.jvmBytes() / containerLimit - 1)) * (a.memoryKills() > 0 ? 1 : 0.8), null);
            }
        } else if (sizing != null && sizing.known()) {
            said.add("the heap limit " + Narrative.mib(sizing.heapLimitBytes()) + " with " + Narrative.mib(sizing.nonHeapCommittedBytes())
                    + " non-heap committed and " + Narrative.mib(sizing.buffersBytes()) + " of buffers (medians) fits the container's "
                    + Narrative.mib(containerLimit) + " (" + Narrative.pct(sizing.jvmBytes() / containerLimit) + ")");
        }
        if (said.isEmpty()) {
            said.add(present ? "the heap's floor does not rise (" + heap.segmentsMeasured() + " segment(s) measured) and memory outside the heap does not grow"
                    : "no Java metrics");
        }
        String answer = (end == null ? "Nothing decisive: " : "") + String.join("; ", said) + ".";
        DecisionStep step = new DecisionStep(NODE, "What does the JVM's own memory show?", capitalise(answer), n);
        return new Outcome(step, present, jvm, heap, offHeap, sizing, errors, end);
    }

    /**
     * Node C with a Java OutOfMemoryError: memory ran out inside the JVM, so C answers yes whatever
     * the working set did, and says which memory ran out; otherwise C unchanged.
     */
    static GrowthTowardLimitNode.Outcome amend(GrowthTowardLimitNode.Outcome c, Outcome jvm) {
        JavaOutOfMemoryErrors errors = jvm.errors();
        if (!errors.any()) {
            return c;
        }
        Map<String, Object> n = new LinkedHashMap<>(c.step().numbers());
        n.put("javaOutOfMemoryErrors", errors.errors());
        if (c.growsToLimit()) {
            return new GrowthTowardLimitNode.Outcome(new DecisionStep("C", c.step().question(), c.step().answer()
                    + " Inside the JVM: " + errorText(errors) + ".", n), true);
        }
        return new GrowthTowardLimitNode.Outcome(new DecisionStep("C", c.step().question(), "Yes, inside the JVM: "
                + errorText(errors) + "; memory ran out below the container's limit. " + c.step().answer()
                .replaceFirst("^No: ", "The working set alone would say no: "), n), true);
    }

    private static Conclusion conclusion(String node, String question, String answer, Map<String, Object> numbers,
                                         Diagnosis.Verdict verdict, List<Diagnosis.Cause> causes, double strength, OomProjection projection) {
        return new Conclusion(new DecisionStep(node, question, answer, numbers), verdict, causes, Conclusion.clamp(strength),
                projection, null, false);
    }

    static String heapLeakText(HeapFloorTrend h) {
        return "the heap's floor after collections rose from " + Narrative.mib(h.floorStartBytes()) + " to "
                + Narrative.mib(h.floorEndBytes()) + " (" + Narrative.pct(h.floorEndToLimit()) + " of the " + Narrative.mib(h.heapLimitBytes())
                + " heap limit) at " + Narrative.mib(h.slopeBytesPerHour()) + "/h (Mann–Kendall Z " + Narrative.num(h.mannKendallZ())
                + " ≥ " + GrowthPattern.Z_RISING + ", " + h.replicasLeaking() + " replica(s))"
                + (h.gcEnd() == h.gcEnd() ? "; collections went from " + Narrative.num(h.gcStart()) + " to " + Narrative.num(h.gcEnd())
                + " per minute and " + Narrative.num(h.gcMillisStart()) + " to " + Narrative.num(h.gcMillisEnd()) + " ms per minute"
                + (h.gcRising() || h.gcMillisRising() ? ": the collector works harder as the heap fills" : "") : "");
    }

    static String offHeapText(OffHeapGrowth o) {
        String part = switch (o.part()) {
            case THREADS -> "threads, from " + Math.round(o.threadsStart()) + " to " + Math.round(o.threadsEnd());
            case NATIVE -> o.part().words() + " (no JVM series explains it: native memory tracking will)";
            default -> o.part().words() + ", +" + Narrative.mib(o.partRiseBytes());
        };
        return "working set minus committed heap rose by " + Narrative.mib(o.outsideHeapRiseBytes()) + " in "
                + Math.round(o.spanMinutes()) + " min while the heap's floor moved " + Narrative.mib(o.heapFloorRiseBytes())
                + " (" + o.replicasGrowing() + " replica(s)); the part that grows: " + part;
    }

    static String errorText(JavaOutOfMemoryErrors e) {
        return "the console shows java.lang.OutOfMemoryError: " + e.message() + " " + e.errors() + " time(s) (" + e.main().words()
                + " ran out), " + (e.exitCodes().isEmpty() ? "no exit code logged"
                : "then exit code " + e.exitCodes().stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse(""))
                + (e.killed137() ? "" : ", not 137");
    }

    static String sizingText(HeapSizing s) {
        return "heap limit " + Narrative.mib(s.heapLimitBytes()) + " + non-heap committed (median) " + Narrative.mib(s.nonHeapCommittedBytes())
                + " + buffers (median) " + Narrative.mib(s.buffersBytes()) + " = " + Narrative.mib(s.jvmBytes()) + ", "
                + Narrative.pct(s.jvmBytes() / s.containerLimitBytes()) + " of the container's " + Narrative.mib(s.containerLimitBytes())
                + " limit";
    }

    private static String range(HeapFloorTrend h) {
        return h.exhaustionLatest() == null || h.exhaustionLatest().equals(h.exhaustionEarliest())
                ? "from " + Narrative.time(h.exhaustionEarliest())
                : "between " + Narrative.time(h.exhaustionEarliest()) + " and " + Narrative.time(h.exhaustionLatest());
    }

    /** The heap's exhaustion as the next out-of-memory, in the form the figures and the advice use. */
    private static OomProjection projection(HeapFloorTrend h) {
        double slope = h.slopeBytesPerHour() / 60;
        if (h.exhaustionExpected() == null || !(slope > 0)) {
            return null;
        }
        return new OomProjection(h.replica(), h.exhaustionEarliest(), h.exhaustionExpected(), h.exhaustionLatest(), h.projectedFrom(),
                slope, (h.heapLimitBytes() - h.floorStartBytes()) / slope);
    }

    /** Per replica, the grid buckets where it restarted. */
    private static Map<String, List<Integer>> restartIndex(RestartsNode.Outcome a) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        a.restarts().byReplica().forEach((replica, events) -> {
            List<Integer> idx = new ArrayList<>();
            for (RestartEvent e : events) {
                idx.add(a.app().grid().clampedIndex(e.time()));
            }
            out.put(replica, idx);
        });
        return out;
    }

    /** The limit of the container the JVM runs in (the Java series name it), else the replica's limit. */
    private static long containerLimit(RestartsNode.Outcome a, JvmTimelines jvm) {
        for (JvmTimelines.Replica r : jvm.replicas()) {
            if (r.container() != null) {
                Long bytes = a.bundle().app().container(r.container()).map(c -> c.limitBytes()).orElse(null);
                if (bytes != null && bytes > 0) {
                    return bytes;
                }
            }
        }
        Long l = a.limit();
        return l == null ? 0 : l;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
