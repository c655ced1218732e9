package io.oomresponder.diagnosis;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.SystemLogEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signal: the restarts of every replica, merged from the RestartCount metric, system log
 * terminations, console out-of-memory lines and working-set drops, each classified as OOM
 * evidence or another exit. Sources disagreeing is not hidden: {@link Result#unattributedOomLogs()}
 * and the per-event sources let the diagnosis state it.
 */
final class RestartEvents {

    /** Working set at or above this share of the limit counts as "at the limit". */
    static final double AT_LIMIT_FRACTION = 0.90;
    /** A fall of at least this share of the previous sample in one step is a restart's reset. */
    static final double DROP_FRACTION = 0.40;
    /** Events of different sources this close are the same restart. */
    static final double MATCH_TOLERANCE_MINUTES = 3;
    /** How far back "memory just before the restart" looks. */
    static final double LOOKBACK_MINUTES = 5;

    private static final Pattern EXIT_CODE = Pattern.compile("exit(?:ed)?\\s*(?:with)?\\s*code\\W{0,3}(\\d+)", Pattern.CASE_INSENSITIVE);
    /** Phrases that name an out-of-memory death: the kernel's, the JVM's, Node's, Python's, Go's, .NET's. */
    private static final String[] OOM_PHRASES = {"oomkill", "out of memory", "outofmemory", "memoryerror",
        "cannot allocate memory"};

    private RestartEvents() {
    }

    /** The merged restarts and what could not be attributed to a replica. */
    record Result(Map<String, List<RestartEvent>> byReplica, int unattributedOomLogs) {
        List<RestartEvent> all() {
            List<RestartEvent> out = new ArrayList<>();
            byReplica.values().forEach(out::addAll);
            out.sort(Comparator.comparing(RestartEvent::time).thenComparing(RestartEvent::replica));
            return out;
        }
    }

    /** What a log line says about an exit. */
    enum LogMeaning { OOM, EXIT_137, OTHER_EXIT, PROBE_OR_BACKOFF, NONE }

    static LogMeaning meaning(String reason, String message) {
        String text = ((reason == null ? "" : reason) + " " + (message == null ? "" : message));
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("started") && !lower.contains("terminat") && !lower.contains("fail")) {
            return LogMeaning.NONE;
        }
        if (mentionsOom(text)) {
            return LogMeaning.OOM;
        }
        Integer code = exitCode(message);
        if (code == null) {
            code = exitCode(reason);
        }
        if (code != null) {
            return code == 137 ? LogMeaning.EXIT_137 : LogMeaning.OTHER_EXIT;
        }
        if (lower.contains("probe") || lower.contains("unhealthy") || lower.contains("backoff")
                || lower.contains("back-off") || lower.contains("crashloop") || lower.contains("persistent fail")) {
            return LogMeaning.PROBE_OR_BACKOFF;
        }
        if (lower.contains("terminated") || lower.contains("crashed") || lower.contains("killed")) {
            return LogMeaning.OTHER_EXIT;
        }
        return LogMeaning.NONE;
    }

    static boolean mentionsOom(String text) {
        if (!mayMentionOom(text)) {
            return false;
        }
        // Case-insensitive search without lower-casing every console line (allocation in the hot loop).
        for (String p : OOM_PHRASES) {
            int last = text.length() - p.length();
            char first = p.charAt(0);
            for (int i = 0; i <= last; i++) {
                char ch = text.charAt(i);
                if ((ch == first || Character.toLowerCase(ch) == first) && text.regionMatches(true, i, p, 0, p.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A necessary condition for {@link #mentionsOom}, cheap enough for every console line of a week:
     * every phrase has an 'm' that ends "oom" or starts "mem", and only 'm' and 'M' match 'm' ignoring
     * case. Most lines have no such 'm', and skip the phrase-by-phrase scan.
     */
    private static boolean mayMentionOom(String text) {
        // Walk the 'm's and 'M's in order, each kind found once: no rescans for the other case.
        int lower = text.indexOf('m');
        int upper = text.indexOf('M');
        while (lower >= 0 || upper >= 0) {
            int i;
            if (upper < 0 || lower >= 0 && lower < upper) {
                i = lower;
                lower = text.indexOf('m', i + 1);
            } else {
                i = upper;
                upper = text.indexOf('M', i + 1);
            }
            if (text.regionMatches(true, i - 2, "oom", 0, 3) || text.regionMatches(true, i, "mem", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    static Integer exitCode(String text) {
        if (text == null || (text.indexOf("code") < 0 && text.indexOf("Code") < 0 && text.indexOf("CODE") < 0)) {
            return null;
        }
        Matcher m = EXIT_CODE.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** Merges the restart evidence of all replicas. {@code limitBytes} may be null. */
    static Result merge(AppTimelines timelines, List<SystemLogEvent> systemLogs, List<ConsoleLine> consoleLogs, Long limitBytes) {
        EvidenceGrid grid = timelines.grid();
        int tolerance = grid.buckets(MATCH_TOLERANCE_MINUTES);
        Map<String, Drafts> drafts = new LinkedHashMap<>();
        Map<String, ReplicaTimeline> byName = new LinkedHashMap<>();
        for (ReplicaTimeline r : timelines.replicas()) {
            byName.put(r.name(), r);
            Drafts list = new Drafts();
            double[] rc = r.restarts();
            if (rc != null) {
                boolean createdInWindow = r.createdAt() != null && !r.createdAt().isBefore(grid.start());
                double[] perBucket = rises(rc, createdInWindow);
                for (int i = 0; i < perBucket.length; i++) {
                    long n = Math.round(perBucket[i]);
                    for (long k = 0; k < n; k++) {
                        list.add(new Draft(i, RestartEvent.Source.RESTART_COUNT_METRIC));
                    }
                }
            }
            drafts.put(r.name(), list);
        }
        ReplicaTimeline only = timelines.replicas().size() == 1 ? timelines.replicas().get(0) : null;
        int unattributedOom = 0;
        List<SystemLogEvent> logs = new ArrayList<>(systemLogs);
        logs.sort(Comparator.comparing(e -> e.time() == null ? java.time.Instant.EPOCH : e.time()));
        List<Object[]> hints = new ArrayList<>();
        for (SystemLogEvent e : logs) {
            if (e.time() == null) {
                continue;
            }
            LogMeaning m = meaning(e.reason(), e.message());
            if (m == LogMeaning.NONE) {
                continue;
            }
            ReplicaTimeline r = e.replica() != null && byName.containsKey(e.replica()) ? byName.get(e.replica()) : only;
            if (r == null) {
                if (m == LogMeaning.OOM) {
                    unattributedOom++;
                }
                continue;
            }
            int idx = grid.clampedIndex(e.time());
            if (m == LogMeaning.PROBE_OR_BACKOFF) {
                hints.add(new Object[]{r.name(), idx, m});
                continue;
            }
            Drafts list = drafts.get(r.name());
            Draft d = list.nearest(idx, tolerance, true);
            if (d == null) {
                d = new Draft(idx, RestartEvent.Source.SYSTEM_LOG);
                list.add(d);
            }
            d.sources.add(RestartEvent.Source.SYSTEM_LOG);
            d.log = m;
            Integer code = exitCode(e.message());
            d.exitCode = code != null ? code : exitCode(e.reason());
        }
        for (Object[] h : hints) {
            Draft d = drafts.get((String) h[0]).nearest((Integer) h[1], tolerance, false);
            if (d != null && d.log == null) {
                d.hint = (LogMeaning) h[2];
            }
        }
        for (ConsoleLine c : consoleLogs) {
            if (c.time() == null || c.message() == null || !mentionsOom(c.message())) {
                continue;
            }
            ReplicaTimeline r = c.replica() != null && byName.containsKey(c.replica()) ? byName.get(c.replica()) : only;
            if (r == null) {
                continue;
            }
            Draft d = drafts.get(r.name()).nearest(grid.clampedIndex(c.time()), tolerance, false);
            if (d != null) {
                d.sources.add(RestartEvent.Source.CONSOLE_LOG);
                d.consoleOom = true;
            }
        }
        for (ReplicaTimeline r : timelines.replicas()) {
            boolean noRestartMetric = r.restarts() == null || allNaN(r.restarts());
            Drafts list = drafts.get(r.name());
            for (int i : drops(r.workingSetBytes())) {
                Draft d = list.nearest(i, tolerance, false);
                if (d != null) {
                    d.sources.add(RestartEvent.Source.WORKING_SET_DROP);
                } else if (noRestartMetric) {
                    Draft nd = new Draft(i, RestartEvent.Source.WORKING_SET_DROP);
                    list.add(nd);
                }
            }
        }
        Map<String, List<RestartEvent>> out = new LinkedHashMap<>();
        int before = grid.buckets(LOOKBACK_MINUTES);
        for (ReplicaTimeline r : timelines.replicas()) {
            List<Draft> list = drafts.get(r.name()).inIndexOrder();
            List<RestartEvent> events = new ArrayList<>();
            for (Draft d : list) {
                double peak = r.peak(d.index - before, d.index + 1);
                double toLimit = limitBytes == null || limitBytes <= 0 || Double.isNaN(peak) ? Double.NaN : peak / limitBytes;
                events.add(new RestartEvent(r.name(), d.index, grid.time(d.index), classify(d, toLimit), d.sources,
                        d.exitCode, toLimit));
            }
            out.put(r.name(), List.copyOf(events));
        }
        return new Result(out, unattributedOom);
    }

    private static RestartEvent.Kind classify(Draft d, double toLimit) {
        boolean atLimit = !Double.isNaN(toLimit) && toLimit >= AT_LIMIT_FRACTION;
        if (d.log == LogMeaning.OOM || d.consoleOom) {
            return RestartEvent.Kind.OOM_KILLED;
        }
        if (d.log == LogMeaning.EXIT_137) {
            // 137 is SIGKILL: the OOM killer, or the runtime after a shutdown grace period.
            return atLimit || Double.isNaN(toLimit) ? RestartEvent.Kind.OOM_KILLED : RestartEvent.Kind.NON_OOM_EXIT;
        }
        if (d.log == LogMeaning.OTHER_EXIT || d.hint == LogMeaning.PROBE_OR_BACKOFF) {
            return RestartEvent.Kind.NON_OOM_EXIT;
        }
        return atLimit ? RestartEvent.Kind.MEMORY_AT_LIMIT : RestartEvent.Kind.UNEXPLAINED;
    }

    /**
     * Restarts per bucket from the RestartCount series of one replica. Azure emits a running
     * counter per replica (restarts since the replica was created), so the restarts are the rises
     * of the counter; the first sample is the baseline (restarts before the window), unless the
     * replica was created in the window (then the counter started at 0). A series that ever falls
     * is not a counter: it is read as restarts per bucket, so a source that sends per-bucket counts
     * reads right too.
     */
    static double[] rises(double[] counter, boolean createdInWindow) {
        double[] out = new double[counter.length];
        boolean falls = falls(counter);
        double prev = createdInWindow ? 0 : Double.NaN;
        for (int i = 0; i < counter.length; i++) {
            double v = counter[i];
            if (v != v) {
                continue;
            }
            if (falls) {
                out[i] = Math.max(0, Math.round(v));
            } else if (prev == prev && v - prev >= 0.5) {
                out[i] = Math.round(v - prev);
            }
            prev = prev != prev ? v : Math.max(prev, v);
        }
        return out;
    }

    /** Whether a RestartCount series ever falls: then it is not a running counter but per-bucket counts. */
    static boolean falls(double[] counter) {
        double prev = Double.NaN;
        for (double v : counter) {
            if (v != v) {
                continue;
            }
            if (prev == prev && v < prev - 0.5) {
                return true;
            }
            prev = v;
        }
        return false;
    }

    /** Indices where the working set fell by {@link #DROP_FRACTION} or more from the previous sample. */
    static List<Integer> drops(double[] ws) {
        List<Integer> out = new ArrayList<>();
        double prev = Double.NaN;
        for (int i = 0; i < ws.length; i++) {
            double v = ws[i];
            if (v != v) {
                continue;
            }
            if (prev == prev && prev > 0 && v <= prev * (1 - DROP_FRACTION)) {
                out.add(i);
            }
            prev = v;
        }
        return out;
    }

    private static boolean allNaN(double[] a) {
        for (double v : a) {
            if (!Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * One replica's drafts, kept by bucket so that matching a log line looks only at the drafts within
     * the tolerance (O(log n) a line, not a scan of every restart). Among drafts at the same distance
     * the one added first wins, as a scan in order of addition would choose.
     */
    private static final class Drafts {
        private final TreeMap<Integer, List<Draft>> byIndex = new TreeMap<>();
        private final List<Draft> added = new ArrayList<>();

        void add(Draft d) {
            d.order = added.size();
            added.add(d);
            byIndex.computeIfAbsent(d.index, k -> new ArrayList<>(1)).add(d);
        }

        /** The nearest draft within {@code tolerance} buckets of {@code idx} (only those without a log line, if asked). */
        Draft nearest(int idx, int tolerance, boolean withoutLog) {
            Draft best = null;
            int bestDist = Integer.MAX_VALUE;
            for (List<Draft> at : byIndex.subMap(idx - tolerance, true, idx + tolerance, true).values()) {
                for (Draft d : at) {
                    if (withoutLog && d.log != null) {
                        continue;
                    }
                    int dist = Math.abs(d.index - idx);
                    if (dist < bestDist || (dist == bestDist && d.order < best.order)) {
                        best = d;
                        bestDist = dist;
                    }
                }
            }
            return best;
        }

        /** Every draft by bucket, in order of addition within a bucket. */
        List<Draft> inIndexOrder() {
            List<Draft> out = new ArrayList<>(added.size());
            byIndex.values().forEach(out::addAll);
            return out;
        }
    }

    /** A restart being assembled from its sources. */
    private static final class Draft {
        final int index;
        final Set<RestartEvent.Source> sources = EnumSet.noneOf(RestartEvent.Source.class);
        int order;
        LogMeaning log;
        LogMeaning hint;
        boolean consoleOom;
        Integer exitCode;

        Draft(int index, RestartEvent.Source source) {
            this.index = index;
            sources.add(source);
        }
    }
}
