package io.oomresponder.diagnosis;

import io.oomresponder.evidence.AppConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The JVM's own advice, beside the playbook's: the flags that fit the heap to the container, and the
 * steps that capture what the owning team needs (a heap dump with {@code jcmd <pid> GC.heap_dump},
 * a JFR recording, native memory tracking), and how to turn Container Apps' Java metrics on for a
 * Java app that lacks them. The JVM runs as PID 1 in the container unless a shell starts it.
 */
final class JvmAdvice {

    private JvmAdvice() {
    }

    /** The playbook's actions with the JVM's merged in, in the order of their kinds (now, fix, check, prevent), the playbook's first within a kind. */
    static List<Recommendation> merge(List<Recommendation> playbook, List<Recommendation> jvm) {
        if (jvm.isEmpty()) {
            return playbook;
        }
        List<Recommendation> out = new ArrayList<>();
        for (Recommendation r : playbook) {
            // The playbook's generic JVM heap dump gives way to the JVM node's own capture steps.
            if (!(r.title().startsWith("Take a heap dump (JVM)") && jvm.stream().anyMatch(j -> j.title().startsWith("Capture")))) {
                out.add(r);
            }
        }
        // Within a kind the playbook's come first; a stable sort keeps that.
        out.addAll(jvm);
        out.sort(Comparator.comparing(Recommendation::kind));
        return out;
    }

    static List<Recommendation> recommend(JvmMemoryNode.Outcome jvm, AppConfig app, RuntimeKind runtime) {
        List<Recommendation> out = new ArrayList<>();
        String name = app.name();
        String rg = app.resourceGroup() == null ? "<resource-group>" : app.resourceGroup();
        String exec = "az containerapp exec --name " + name + " --resource-group " + rg + " --command ";
        if (!jvm.present() && runtime == RuntimeKind.JVM) {
            out.add(new Recommendation(Recommendation.Kind.PREVENT, "Turn on Java metrics",
                    "The app looks like Java, but the evidence has no JVM metrics (heap, non-heap, buffers, collections, threads): "
                            + "with them the next note can tell a heap leak from off-heap growth or a heap sized past the container. "
                            + "The app restarts when the setting changes.",
                    "az containerapp update --name " + name + " --resource-group " + rg + " --enable-java-metrics=true"));
        }
        if (!jvm.relevant()) {
            return out;
        }
        HeapSizing sizing = jvm.sizing();
        if (sizing != null && sizing.pastContainer() && sizing.advisedPercent() > 0) {
            out.add(new Recommendation(Recommendation.Kind.FIX, "Fit the heap to the container: -XX:MaxRAMPercentage=" + sizing.advisedPercent(),
                    JvmMemoryNode.sizingText(sizing) + ". MaxRAMPercentage=" + sizing.advisedPercent() + " gives a heap of "
                            + Narrative.mib(sizing.advisedHeapBytes()) + " (or set -Xmx" + Math.round(sizing.advisedHeapBytes() / (1 << 20))
                            + "m), leaving non-heap, buffers and " + Narrative.pct(HeapSizing.HEADROOM_SHARE)
                            + " of the limit for thread stacks and the JVM's native memory. JAVA_TOOL_OPTIONS replaces any value set before: keep the app's other flags in it.",
                    "az containerapp update --name " + name + " --resource-group " + rg
                            + " --set-env-vars \"JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=" + sizing.advisedPercent() + "\""));
        }
        boolean heapProblem = jvm.heap().leaking()
                || (jvm.errors().any() && jvm.errors().main() == JavaOutOfMemoryErrors.Memory.HEAP);
        if (heapProblem) {
            out.add(new Recommendation(Recommendation.Kind.FIX, "Capture the heap that fills: jcmd GC.heap_dump",
                    "Dump the heap of a replica whose heap is high (two dumps some time apart show what grows; compare them in "
                            + "Eclipse MAT). The dump is as large as the used heap: write it to a mounted volume, not the container's disk. "
                            + "Add -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=<mounted volume> so the next OutOfMemoryError leaves one.",
                    exec + "\"jcmd 1 GC.heap_dump /tmp/heap.hprof\""));
            out.add(new Recommendation(Recommendation.Kind.CHECK, "Record allocations with JFR",
                    "A JFR recording shows which code allocates what survives collections (Old Object Sample) with little overhead; "
                            + "open it in JDK Mission Control.",
                    exec + "\"jcmd 1 JFR.start duration=10m settings=profile filename=/tmp/app.jfr\""));
        }
        OffHeapGrowth.Part part = jvm.offHeap().growing() ? jvm.offHeap().part()
                : jvm.errors().any() ? switch (jvm.errors().main()) {
                    case METASPACE -> OffHeapGrowth.Part.METASPACE;
                    case DIRECT_BUFFERS -> OffHeapGrowth.Part.DIRECT_BUFFERS;
                    case THREADS -> OffHeapGrowth.Part.THREADS;
                    default -> null;
                } : null;
        if (part != null) {
            out.add(switch (part) {
                case DIRECT_BUFFERS -> new Recommendation(Recommendation.Kind.FIX, "Capture what holds direct buffers",
                        "Direct buffers live outside the heap and are freed only when their owners are collected or released: look for "
                                + "pooled buffers never returned (Netty: -Dio.netty.leakDetection.level=paranoid) and cap them with "
                                + "-XX:MaxDirectMemorySize so a leak fails fast with an OutOfMemoryError instead of a kill.",
                        exec + "\"jcmd 1 GC.heap_dump /tmp/heap.hprof\"");
                case THREADS -> new Recommendation(Recommendation.Kind.FIX, "Find the threads that pile up: jcmd Thread.print",
                        "Each platform thread holds a native stack outside the heap. A thread dump shows which pool or code starts "
                                + "them; bound the pools (and their queues) instead of creating a thread per task.",
                        exec + "\"jcmd 1 Thread.print\"");
                case METASPACE -> new Recommendation(Recommendation.Kind.FIX, "Find the class loaders that leak: jcmd VM.metaspace",
                        "Metaspace grows when classes keep being loaded (generated proxies, scripting, redeploys) and their loaders "
                                + "are never collected. Cap it with -XX:MaxMetaspaceSize so it fails fast.",
                        exec + "\"jcmd 1 VM.metaspace\"");
                case CODE_CACHE -> new Recommendation(Recommendation.Kind.FIX, "Bound the code cache",
                        "The JIT's code cache keeps growing: set -XX:ReservedCodeCacheSize and look for generated code that is "
                                + "compiled again and again.",
                        exec + "\"jcmd 1 Compiler.codecache\"");
                case NATIVE -> new Recommendation(Recommendation.Kind.FIX, "Find the native memory that grows",
                        "No JVM pool, buffer or thread count explains the growth: a native library (JNI, compression, TLS) or the "
                                + "allocator. Native memory tracking splits it by JVM area; compare two summaries some time apart.",
                        exec + "\"jcmd 1 VM.native_memory summary.diff\"");
            });
            out.add(new Recommendation(Recommendation.Kind.CHECK, "Turn on native memory tracking",
                    "Start the JVM with -XX:NativeMemoryTracking=summary (5-10% overhead), take a baseline, and diff it later: "
                            + "it shows heap, class (metaspace), thread, code, GC and internal memory side by side.",
                    exec + "\"jcmd 1 VM.native_memory baseline\""));
        }
        return out;
    }
}
