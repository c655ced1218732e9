package io.oomresponder.diagnosis;

import io.oomresponder.evidence.ConsoleLine;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.SystemLogEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JVM's own out-of-memory errors in the console: {@code java.lang.OutOfMemoryError: <what>}.
 * Each names the memory that ran out: the heap ("Java heap space", "GC overhead limit exceeded",
 * "Requested array size exceeds VM limit"), metaspace ("Metaspace", "Compressed class space"),
 * direct buffers ("Direct buffer memory") or threads ("unable to create new native thread"). The
 * JVM then exits with its own code (3 with -XX:+ExitOnOutOfMemoryError, 134 with
 * CrashOnOutOfMemoryError, 1 when the main thread dies of it), not the kernel's 137: memory ran out
 * inside the JVM, below the container's limit.
 *
 * @param errors     distinct errors (one per replica and minute: a JVM writes several lines for one)
 * @param byMemory   errors per memory that ran out, most first
 * @param first      time of the first error, or null
 * @param exitCodes  exit codes the system log gives the replicas within a few minutes after an error
 * @param killed137  whether any of those exits was 137 / OOMKilled (the kernel, not the JVM)
 * @param message    the first error's text after "OutOfMemoryError: " (as written, for the note), or null
 */
record JavaOutOfMemoryErrors(int errors, Map<Memory, Integer> byMemory, Instant first, Set<Integer> exitCodes,
                             boolean killed137, String message) {

    static final String MARKER = "OutOfMemoryError";
    /** An exit this long after an error is the error's. */
    static final Duration EXIT_WITHIN = Duration.ofMinutes(3);

    /** The memory an OutOfMemoryError says ran out. */
    enum Memory {
        HEAP("the heap"), METASPACE("metaspace"), DIRECT_BUFFERS("direct buffer memory"), THREADS("native threads"), OTHER("JVM memory");

        private final String words;

        Memory(String words) {
            this.words = words;
        }

        String words() {
            return words;
        }
    }

    static final JavaOutOfMemoryErrors NONE = new JavaOutOfMemoryErrors(0, Map.of(), null, Set.of(), false, null);

    boolean any() {
        return errors > 0;
    }

    /** The memory most errors name. */
    Memory main() {
        return byMemory.isEmpty() ? Memory.OTHER : byMemory.keySet().iterator().next();
    }

    static Memory memoryOf(String what) {
        String w = what.toLowerCase(Locale.ROOT);
        if (w.contains("heap space") || w.contains("gc overhead") || w.contains("array size")) {
            return Memory.HEAP;
        }
        if (w.contains("metaspace") || w.contains("class space")) {
            return Memory.METASPACE;
        }
        if (w.contains("direct buffer")) {
            return Memory.DIRECT_BUFFERS;
        }
        if (w.contains("native thread")) {
            return Memory.THREADS;
        }
        return Memory.OTHER;
    }

    static JavaOutOfMemoryErrors of(EvidenceBundle bundle) {
        Set<String> seen = new HashSet<>();
        Map<Memory, Integer> counts = new LinkedHashMap<>();
        List<ConsoleLine> errors = new ArrayList<>();
        String message = null;
        for (ConsoleLine l : bundle.consoleLogs()) {
            String m = l.message();
            int at = m == null ? -1 : m.indexOf(MARKER);
            if (at < 0) {
                continue;
            }
            int colon = m.indexOf(':', at);
            String what = colon < 0 ? "" : m.substring(colon + 1).trim();
            if (what.isEmpty()) {
                continue;
            }
            String key = l.replica() + "@" + (l.time().getEpochSecond() / 60);
            if (!seen.add(key)) {
                continue;
            }
            errors.add(l);
            counts.merge(memoryOf(what), 1, Integer::sum);
            if (message == null) {
                message = what.length() > 80 ? what.substring(0, 80) : what;
            }
        }
        if (errors.isEmpty()) {
            return NONE;
        }
        Set<Integer> codes = new TreeSet<>();
        boolean killed = false;
        for (ConsoleLine e : errors) {
            for (SystemLogEvent s : bundle.systemLogs()) {
                if (s.time() == null || e.replica() == null || !e.replica().equals(s.replica())
                        || s.time().isBefore(e.time().minusSeconds(60)) || s.time().isAfter(e.time().plus(EXIT_WITHIN))) {
                    continue;
                }
                if (RestartEvents.meaning(s.reason(), s.message()) == RestartEvents.LogMeaning.NONE) {
                    continue;
                }
                Integer code = RestartEvents.exitCode(s.message());
                if (code != null) {
                    codes.add(code);
                }
                String text = (s.reason() + " " + s.message()).toLowerCase(Locale.ROOT);
                killed |= (code != null && code == 137) || text.contains("oomkilled");
            }
        }
        Map<Memory, Integer> ordered = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return new JavaOutOfMemoryErrors(errors.size(), ordered, errors.get(0).time(), codes, killed, message);
    }
}
