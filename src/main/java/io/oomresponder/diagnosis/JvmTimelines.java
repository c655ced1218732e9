package io.oomresponder.diagnosis;

import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.MetricSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM's own metrics (Container Apps' Java metrics) of each replica, placed once on the
 * evidence grid: the heap's floor (the minimum of heap used in a bucket, i.e. after its
 * collections), its peak, committed and limit; non-heap committed; metaspace and code cache;
 * direct and mapped buffers; threads (summed over daemon and state); collections and their
 * milliseconds per bucket (summed over collectors, a running count turned into per-bucket
 * counts). NaN where a replica has no sample.
 *
 * <p>poolType values are read by meaning: any value containing "non" is non-heap, any other
 * containing "heap" is the heap (the reference does not fix their spelling; see
 * docs/azure-contract.md, "Java metrics").
 */
final class JvmTimelines {

    static final String PREFIX = "Jvm";

    /** The JVM series of one replica on the grid. */
    record Replica(String name, double[] heapFloor, double[] heapPeak, double[] heapCommitted, double heapLimitBytes,
                   double[] nonHeapCommitted, double[] metaspace, double[] codeCache, double[] buffers, double[] threads,
                   double[] gcCount, double[] gcMillis, String container) {

        /** Highest value of a series, NaN when it has none. */
        static double max(double[] a) {
            double m = Double.NaN;
            for (double v : a) {
                if (v == v && (m != m || v > m)) {
                    m = v;
                }
            }
            return m;
        }
    }

    private final EvidenceGrid grid;
    private final List<Replica> replicas;

    private JvmTimelines(EvidenceGrid grid, List<Replica> replicas) {
        this.grid = grid;
        this.replicas = replicas;
    }

    EvidenceGrid grid() {
        return grid;
    }

    List<Replica> replicas() {
        return replicas;
    }

    /** Whether any replica has a heap series: the app runs Java with Java metrics on. */
    boolean present() {
        return replicas.stream().anyMatch(r -> r.heapFloor() != null || r.heapPeak() != null);
    }

    /** Whether the bundle holds any Java metric series with a sample. */
    static boolean anyIn(EvidenceBundle bundle) {
        for (MetricSeries s : bundle.metrics()) {
            if (s.name() != null && s.name().startsWith(PREFIX) && s.hasAnyValue()) {
                return true;
            }
        }
        return false;
    }

    static boolean heapType(String poolType) {
        String t = poolType == null ? "" : poolType.toLowerCase(Locale.ROOT);
        return t.contains("heap") && !t.contains("non");
    }

    static boolean nonHeapType(String poolType) {
        String t = poolType == null ? "" : poolType.toLowerCase(Locale.ROOT);
        return t.contains("non");
    }

    /** The timelines of every replica with a Java series, in pod-name order. */
    static JvmTimelines of(EvidenceBundle bundle, EvidenceGrid grid) {
        Map<String, Map<String, double[]>> byPod = new LinkedHashMap<>();
        Map<String, Double> limitByPod = new LinkedHashMap<>();
        Map<String, String> containerByPod = new LinkedHashMap<>();
        for (MetricSeries s : bundle.metrics()) {
            String name = s.name();
            if (name == null || !name.startsWith(PREFIX) || !s.hasAnyValue()) {
                continue;
            }
            String pod = s.podName() == null ? AppTimelines.WHOLE_APP : s.podName();
            String agg = s.aggregation() == null ? "" : s.aggregation();
            Map<String, String> d = s.dimensions();
            String poolType = d.get("poolType");
            String poolName = d.get("poolName") == null ? "" : d.get("poolName").toLowerCase(Locale.ROOT);
            if (d.get("container") != null) {
                containerByPod.putIfAbsent(pod, d.get("container"));
            }
            Map<String, double[]> p = byPod.computeIfAbsent(pod, k -> new LinkedHashMap<>());
            switch (name) {
                case "JvmMemoryTotalUsed" -> {
                    if (heapType(poolType)) {
                        if (agg.equalsIgnoreCase("Minimum")) {
                            place(p, "heapFloor", s, grid, Mode.MIN);
                        } else if (agg.equalsIgnoreCase("Maximum")) {
                            place(p, "heapPeak", s, grid, Mode.MAX);
                        }
                    }
                }
                case "JvmMemoryUsed" -> {
                    if (heapType(poolType) && (poolName.contains("old") || poolName.contains("tenured")) && agg.equalsIgnoreCase("Minimum")) {
                        place(p, "oldFloor", s, grid, Mode.MIN);
                    } else if (!agg.equalsIgnoreCase("Minimum") && (poolName.contains("metaspace") || poolName.contains("class space"))) {
                        place(p, "metaspace:" + poolName, s, grid, Mode.MAX);
                    } else if (!agg.equalsIgnoreCase("Minimum") && poolName.contains("code")) {
                        place(p, "codeCache:" + poolName, s, grid, Mode.MAX);
                    }
                }
                case "JvmMemoryTotalCommitted" -> {
                    if (heapType(poolType)) {
                        place(p, "heapCommitted", s, grid, Mode.MAX);
                    } else if (nonHeapType(poolType)) {
                        place(p, "nonHeapCommitted", s, grid, Mode.MAX);
                    }
                }
                case "JvmMemoryTotalLimit" -> {
                    if (heapType(poolType)) {
                        for (int k = 0; k < s.size(); k++) {
                            double v = s.value(k);
                            if (v == v && v > 0) {
                                limitByPod.merge(pod, v, Math::max);
                            }
                        }
                    }
                }
                case "JvmBufferMemoryUsage" -> {
                    if (!agg.equalsIgnoreCase("Minimum")) {
                        place(p, "buffers:" + poolName, s, grid, Mode.MAX);
                    }
                }
                case "JvmThreadCount" -> {
                    if (!agg.equalsIgnoreCase("Minimum")) {
                        place(p, "threads:" + d.get("daemon") + "/" + d.get("threadState"), s, grid, Mode.MAX);
                    }
                }
                case "JvmGcCount" -> place(p, "gcCount:" + d.get("gcName"), perBucket(s), grid, Mode.SUM);
                case "JvmGcDuration" -> place(p, "gcMillis:" + d.get("gcName"), perBucket(s), grid, Mode.SUM);
                default -> {
                }
            }
        }
        List<String> pods = new ArrayList<>(byPod.keySet());
        pods.sort(String::compareTo);
        List<Replica> out = new ArrayList<>();
        for (String pod : pods) {
            Map<String, double[]> p = byPod.get(pod);
            double[] floor = p.containsKey("heapFloor") ? p.get("heapFloor") : p.get("oldFloor");
            out.add(new Replica(pod, floor, p.get("heapPeak"), p.get("heapCommitted"), limitByPod.getOrDefault(pod, Double.NaN),
                    p.get("nonHeapCommitted"), sum(p, "metaspace:", grid), sum(p, "codeCache:", grid), sum(p, "buffers:", grid),
                    sum(p, "threads:", grid), sum(p, "gcCount:", grid), sum(p, "gcMillis:", grid), containerByPod.get(pod)));
        }
        return new JvmTimelines(grid, List.copyOf(out));
    }

    private enum Mode { MIN, MAX, SUM }

    private static void place(Map<String, double[]> p, String key, MetricSeries s, EvidenceGrid grid, Mode mode) {
        double[] a = p.get(key);
        if (a == null) {
            a = new double[grid.size()];
            Arrays.fill(a, Double.NaN);
            p.put(key, a);
        }
        for (int k = 0; k < s.size(); k++) {
            double v = s.value(k);
            int i = grid.index(s.epochSecond(k));
            if (v != v || i < 0) {
                continue;
            }
            a[i] = a[i] != a[i] ? v : switch (mode) {
                case MIN -> Math.min(a[i], v);
                case MAX -> Math.max(a[i], v);
                case SUM -> a[i] + v;
            };
        }
    }

    /** Sum, bucket by bucket, of the series whose key starts with the prefix; null when there are none. */
    private static double[] sum(Map<String, double[]> p, String prefix, EvidenceGrid grid) {
        double[] out = null;
        for (var e : p.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            if (out == null) {
                out = new double[grid.size()];
                Arrays.fill(out, Double.NaN);
            }
            double[] a = e.getValue();
            for (int i = 0; i < a.length; i++) {
                if (a[i] == a[i]) {
                    out[i] = out[i] != out[i] ? a[i] : out[i] + a[i];
                }
            }
        }
        return out;
    }

    /**
     * A collection series as counts per bucket. The reference does not say whether a bucket holds
     * the collections of that minute or a running count since the JVM started; a series that never
     * falls except at resets (a new JVM) is read as a running count and differenced.
     */
    static MetricSeries perBucket(MetricSeries s) {
        int pairs = 0;
        int falls = 0;
        double prev = Double.NaN;
        for (int k = 0; k < s.size(); k++) {
            double v = s.value(k);
            if (v != v) {
                continue;
            }
            if (prev == prev) {
                pairs++;
                if (v < prev) {
                    falls++;
                }
            }
            prev = v;
        }
        // Per-minute counts fall about every other step; a running count only when a JVM restarts.
        boolean running = pairs >= 10 && falls <= Math.max(2, pairs / 50);
        if (!running) {
            return s;
        }
        long[] t = new long[s.size()];
        double[] d = new double[s.size()];
        prev = Double.NaN;
        for (int k = 0; k < s.size(); k++) {
            t[k] = s.epochSecond(k);
            double v = s.value(k);
            if (v != v) {
                d[k] = Double.NaN;
                continue;
            }
            d[k] = prev != prev ? Double.NaN : v >= prev ? v - prev : v;
            prev = v;
        }
        return MetricSeries.ofColumns(s.name(), s.aggregation(), s.unit(), s.dimensions(), t, d);
    }
}
