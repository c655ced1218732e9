package io.oomresponder.note;

import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two or three answers that decided a verdict, in words a reader in the incident channel
 * understands without the flowchart ("memory drops after each restart and climbs again",
 * "traffic does not explain it", "next OOM about 05:55 UTC"). Each answer is derived from the
 * diagnosis' figures against the same thresholds the facts use, so the reasons never state a
 * number the facts do not show. The flowchart letters stay in the details.
 */
final class DecidingAnswers {

    /** The share of the limit that marks memory pressure (flowchart step C's 90%). */
    static final double PRESSURE = io.oomresponder.diagnosis.IncidentState.STILL_NEAR_LIMIT;

    /** At most this many answers (the card's reasoning line must stay one line on a phone). */
    static final int MAX = 3;

    private DecidingAnswers() {
    }

    /**
     * @param diagnosis the verdict, causes and path
     * @param f         its figures (never null)
     * @param reference the end of the evidence window ("now" for clock times)
     */
    static List<String> of(Diagnosis diagnosis, Figures f, Instant reference) {
        List<String> r = new ArrayList<>();
        switch (diagnosis.verdict()) {
            case LEAK_SUSPECTED -> {
                if (f.regrowthsAfterRestart() != null && f.regrowthsAfterRestart() > 0) {
                    r.add(f.regrowthsAfterRestart() == 1 ? "memory dropped after the restart and climbed again"
                            : "memory drops after each restart and climbs again (" + times(f.regrowthsAfterRestart()) + ")");
                } else if (f.growthBytesPerHour() != null) {
                    r.add("memory climbs steadily (" + Quantities.bytesPerHour(f.growthBytesPerHour()) + ")");
                }
                boolean buffer = !diagnosis.causes().isEmpty() && diagnosis.causes().get(0) == Diagnosis.Cause.UNBOUNDED_BUFFERING;
                if (buffer) {
                    r.add("work piles up in the process: memory grows while served traffic does not");
                } else if (f.trafficCorrelation() != null && Math.abs(f.trafficCorrelation()) <= NoteContent.IGNORES_TRAFFIC_CORRELATION) {
                    r.add("traffic does not explain it");
                } else if (f.trafficCorrelation() == null) {
                    r.add("no traffic metric to compare with");
                } else {
                    r.add("memory grows with process age more than with traffic");
                }
                r.add(nextOom(f, reference));
            }
            case PEAK_DEMAND -> {
                if (f.peakToLimit() != null) {
                    r.add("the working set reached " + Quantities.percent(f.peakToLimit()) + " of the limit");
                }
                Diagnosis.Cause first = diagnosis.causes().isEmpty() ? Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT : diagnosis.causes().get(0);
                switch (first) {
                    case TOO_FEW_REPLICAS -> r.add("the app sat at its maximum of "
                            + (f.maxReplicas() == null ? "?" : f.maxReplicas()) + " replicas while the load grew");
                    case STARTUP_OR_BACKGROUND_JOB -> r.add("the spikes come from start-up or a scheduled job, not from traffic");
                    default -> r.add(f.trafficCorrelation() == null ? "no traffic metric: the demand behind the peak is not measured"
                            : f.trafficCorrelation() >= NoteContent.FOLLOWS_TRAFFIC_CORRELATION
                            ? "memory follows traffic"
                            : "memory rises with demand, not steadily with time");
                }
                if (f.regrowthsAfterRestart() == null || f.regrowthsAfterRestart() == 0) {
                    r.add("no leak pattern: memory does not climb again after restarts");
                }
            }
            case OTHER_CRASH_CAUSE -> {
                boolean restarted = f.restarts() != null && f.restarts() > 0;
                if (Diagnosis.SIZED_TIGHT_HEADLINE.equals(diagnosis.headline())) {
                    if (f.peakToLimit() != null) {
                        r.add("memory sits flat near the limit (peak " + Quantities.percent(f.peakToLimit()) + " of it)");
                    }
                    r.add("no steady growth and no restart: neither a leak nor a traffic peak");
                    r.add("a burst or slow growth would be killed");
                } else {
                    if (f.peakToLimit() != null) {
                        r.add("memory peaked at " + Quantities.percentAgainst(f.peakToLimit(), PRESSURE) + " of the limit"
                                + (f.peakToLimit() < PRESSURE ? ", below the " + Quantities.percent(PRESSURE) + " that marks memory pressure" : ""));
                    }
                    if (!restarted) {
                        r.add(f.restarts() == null ? "restarts unknown" : "no container restarted in the window");
                    } else {
                        int other = f.nonOomExits() == null ? 0 : f.nonOomExits();
                        r.add(other + " of " + f.restarts() + " restarts ended with another exit (exit code, probe or back-off)");
                    }
                    if (f.oomKills() != null && restarted) {
                        r.add(f.oomKills() == 0 ? "no OOM kill in the logs" : f.oomKills() + " OOM kill(s) in the logs");
                    }
                }
            }
            case INSUFFICIENT_EVIDENCE -> {
                r.add(missing(f));
                r.add(f.restarts() == null ? "restarts unknown: no source of them answered"
                        : f.restarts() + " restart(s) seen, " + (f.oomKills() == null ? "?" : f.oomKills()) + " with OOM evidence in the logs");
                r.add("collect the missing evidence before changing the limit");
            }
        }
        String jvm = jvmReason(diagnosis);
        if (jvm != null) {
            // The JVM's own memory decided: its reason comes first.
            r.add(0, jvm);
        }
        return r.size() > MAX ? List.copyOf(r.subList(0, MAX)) : List.copyOf(r);
    }

    /**
     * The JVM node's deciding reason, from its numbers (issue 31), or null when the JVM's memory did
     * not decide: the heap's floor climbing, what grows outside the heap, the heap sized past the
     * container, or the Java OutOfMemoryError.
     */
    static String jvmReason(Diagnosis diagnosis) {
        if (!diagnosis.path().contains("JVM") || diagnosis.causes().isEmpty()) {
            return null;
        }
        java.util.Map<String, Object> n = diagnosis.steps().stream().filter(s -> "JVM".equals(s.node())).findFirst()
                .map(io.oomresponder.diagnosis.DecisionStep::numbers).orElse(java.util.Map.of());
        Double floorEnd = number(n.get("heapFloorEndBytes"));
        Double floorStart = number(n.get("heapFloorStartBytes"));
        Double heapLimit = number(n.get("heapLimitBytes"));
        Diagnosis.Cause first = diagnosis.causes().get(0);
        if (floorEnd != null && floorStart != null && heapLimit != null && first == Diagnosis.Cause.APPLICATION_LEAK) {
            return "the heap's live memory climbs after every collection (from " + Quantities.bytes(floorStart) + " to "
                    + Quantities.bytes(floorEnd) + ", " + Quantities.percent(floorEnd / heapLimit) + " of the heap limit)";
        }
        if (first == Diagnosis.Cause.OFF_HEAP_GROWTH && n.get("offHeapPartWords") != null) {
            return "memory outside the heap grows: " + n.get("offHeapPartWords");
        }
        Double needs = number(n.get("jvmNeedsToContainer"));
        if (first == Diagnosis.Cause.HEAP_SIZED_PAST_CONTAINER && needs != null) {
            return "the heap limit with non-heap and buffers is " + Quantities.percent(needs) + " of the container limit";
        }
        Double errors = number(n.get("javaOutOfMemoryErrors"));
        if (errors != null && errors > 0) {
            return "the JVM threw java.lang.OutOfMemoryError: " + Redactor.redact(String.valueOf(n.get("javaOutOfMemoryErrorMessage")), 60);
        }
        return null;
    }

    private static Double number(Object o) {
        return o instanceof Number x && !Double.isNaN(x.doubleValue()) ? x.doubleValue() : null;
    }

    /** What is missing, in the words the gaps section uses (see {@link NoteContent#derivedGaps}). */
    static String missing(Figures f) {
        if (f.memoryLimitBytes() == null) {
            return "the memory limit is unknown";
        }
        if (f.peakWorkingSetBytes() == null) {
            return "no working-set metrics for the window";
        }
        return "too few working-set samples to judge growth";
    }

    private static String nextOom(Figures f, Instant reference) {
        if (f.projectedOomEarliest() == null) {
            return f.peakToLimit() == null ? "no projection of the next OOM"
                    : "peak at " + Quantities.percent(f.peakToLimit()) + " of the limit; no projection of the next OOM";
        }
        if (!f.projectedOomEarliest().isAfter(reference)) {
            return "the next OOM is due now (overdue at the window's end)";
        }
        return "next OOM about " + Quantities.clock(f.projectedOomEarliest(), reference)
                + " (in " + Quantities.duration(Duration.between(reference, f.projectedOomEarliest())) + ")";
    }

    private static String times(int n) {
        return n + (n == 1 ? " time" : " times");
    }
}
