package io.oomresponder.diagnosis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Objects;

/**
 * The verdict of the memory playbook's flowchart for one evidence bundle, with the path taken,
 * the numbers behind every step and what to do. Field names are those of the bundle README's
 * "Diagnosis output".
 *
 * @param verdict         the flowchart's answer
 * @param path            nodes visited, e.g. A, B, C, E, F, G, I
 * @param confidence      0..1
 * @param causes          ranked likely causes, most likely first
 * @param figures         the numbers behind the verdict
 * @param steps           one entry per decision node: the question, the answer and the deciding numbers
 * @param recommendations ordered actions, each with a concrete command where one exists
 * @param findings        plain statements worth a reader's attention (e.g. sources that disagree)
 * @param headline        the verdict in plain words for this case ({@link #headlineOf}): the one decision the
 *                        note's headline, reasons and first action all follow
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"verdict", "headline", "path", "confidence", "causes", "figures", "steps", "recommendations", "findings"})
public record Diagnosis(
        Verdict verdict,
        List<String> path,
        double confidence,
        List<Cause> causes,
        Figures figures,
        List<DecisionStep> steps,
        List<Recommendation> recommendations,
        List<String> findings,
        String headline) {

    /** Headline for an OTHER_CRASH_CAUSE whose app is sized tight: memory flat near the limit, no restart. */
    public static final String SIZED_TIGHT_HEADLINE = "Memory sized tight";
    /** Headline for an OTHER_CRASH_CAUSE without restarts or memory pressure. */
    public static final String NO_MEMORY_PROBLEM_HEADLINE = "No memory problem found";

    /** A diagnosis whose headline follows from its verdict and causes alone. */
    public Diagnosis(Verdict verdict, List<String> path, double confidence, List<Cause> causes, Figures figures, List<DecisionStep> steps,
                     List<Recommendation> recommendations, List<String> findings) {
        this(verdict, path, confidence, causes, figures, steps, recommendations, findings, headlineOf(verdict, causes, false));
    }

    /**
     * The headline of a verdict, its causes, and whether node D found the app sized tight: a
     * restart loop with non-memory exits is "Not a memory problem"; no restart and memory flat near
     * the limit is {@link #SIZED_TIGHT_HEADLINE} (its first action raises memory); no restart and
     * memory well below the limit is {@link #NO_MEMORY_PROBLEM_HEADLINE}.
     */
    public static String headlineOf(Verdict verdict, List<Cause> causes, boolean sizedTight) {
        if (verdict == Verdict.OTHER_CRASH_CAUSE && (causes == null || !causes.contains(Cause.NON_MEMORY_CRASH))) {
            return sizedTight ? SIZED_TIGHT_HEADLINE : NO_MEMORY_PROBLEM_HEADLINE;
        }
        return verdict.headline();
    }

    public Diagnosis {
        Objects.requireNonNull(verdict, "verdict");
        path = path == null ? List.of() : List.copyOf(path);
        if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence must be in 0..1, was " + confidence);
        }
        causes = causes == null ? List.of() : List.copyOf(causes);
        steps = steps == null ? List.of() : List.copyOf(steps);
        recommendations = recommendations == null ? List.of() : List.copyOf(recommendations);
        findings = findings == null ? List.of() : List.copyOf(findings);
        headline = headline == null ? headlineOf(verdict, causes, false) : headline;
    }

    /** The flowchart's outcomes. */
    public enum Verdict {
        /** Node G: memory resets after a restart and grows again: a leak or an unbounded buffer. */
        LEAK_SUSPECTED("Memory leak suspected"),
        /** Node H: memory follows demand, and peak demand exceeds the limit. */
        PEAK_DEMAND("Peak demand over the memory limit"),
        /** Node D: memory does not grow toward the limit; the restarts have another cause. */
        OTHER_CRASH_CAUSE("Not a memory problem"),
        /** Too little evidence to walk the flowchart. */
        INSUFFICIENT_EVIDENCE("Not enough evidence");

        private final String headline;

        Verdict(String headline) {
            this.headline = headline;
        }

        /** The verdict in plain words, for headlines. */
        public String headline() {
            return headline;
        }
    }

    /**
     * Likely causes, from the playbook's list. The last two are read from the JVM's own metrics
     * (Container Apps' Java metrics): memory outside the heap that grows (direct buffers, threads,
     * metaspace, code cache), and a heap whose limit with the JVM's other memory exceeds the
     * container's limit.
     */
    public enum Cause {
        APPLICATION_LEAK, UNBOUNDED_BUFFERING, PEAK_DEMAND_OVER_LIMIT, STARTUP_OR_BACKGROUND_JOB, TOO_FEW_REPLICAS, NON_MEMORY_CRASH,
        OFF_HEAP_GROWTH, HEAP_SIZED_PAST_CONTAINER
    }
}
