package io.oomresponder.note;

import io.oomresponder.SharedFiles;
import io.oomresponder.diagnosis.DecisionStep;
import io.oomresponder.diagnosis.Diagnosis;
import io.oomresponder.diagnosis.Figures;
import io.oomresponder.diagnosis.Recommendation;
import io.oomresponder.evidence.EvidenceBundle;
import io.oomresponder.evidence.EvidenceBundleFile;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-written diagnoses for the shared example bundles, with the numbers an SRE reads off the
 * bundles (the Diagnoser is another stage; these tests only need plausible, fixed input).
 */
public final class SampleDiagnoses {

    public static final long GIB = 1024L * 1024 * 1024;

    private SampleDiagnoses() {
    }

    public static EvidenceBundle bundle(String example) {
        return EvidenceBundleFile.read(SharedFiles.example(example));
    }

    public static Diagnosis leak() {
        Figures figures = new Figures(GIB, 1072668082d, 0.999, 95, 3.2e8, 0.97, 0.08, 20, 20, 0, 19, 3, 3,
                Instant.parse("2026-10-12T13:40:00Z"), Instant.parse("2026-10-12T14:10:00Z"), null, null);
        return new Diagnosis(Diagnosis.Verdict.LEAK_SUSPECTED, List.of("A", "B", "C", "E", "F", "G", "I"), 0.86,
                List.of(Diagnosis.Cause.APPLICATION_LEAK, Diagnosis.Cause.UNBOUNDED_BUFFERING), figures,
                List.of(
                        step("A", "Is the memory limit known?", "yes", Map.of("memoryLimitBytes", GIB)),
                        step("B", "Does the working set approach the limit?", "yes", Map.of("peakToLimit", 0.999, "timeAbove90PctMinutes", 95)),
                        step("C", "Does memory grow over time?", "yes, steadily", Map.of("growthBytesPerHour", 3.2e8, "trendStrength", 0.97)),
                        step("E", "Does growth follow traffic?", "no", Map.of("trafficCorrelation", 0.08)),
                        step("F", "Does memory reset after a restart and grow again?", "yes", Map.of("restarts", 20, "regrowthsAfterRestart", 19)),
                        step("G", "Leak or unbounded buffer", "leak suspected", Map.of()),
                        step("I", "Projected next OOM", "13:40–14:10 UTC", Map.of("projectedMinutesEarliest", 45))),
                List.of(
                        new Recommendation("Capture a heap dump before the next OOM", "The next kill is due within the hour; a dump shows what holds the memory.",
                                "az containerapp exec -n api-gateway -g rg-apps-eus2 --command \"jcmd 1 GC.heap_dump /tmp/heap.hprof\""),
                        new Recommendation("Raise the memory limit as a stopgap", "Buys time, does not fix a leak.",
                                "az containerapp update -n api-gateway -g rg-apps-eus2 --cpu 1 --memory 2Gi"),
                        new Recommendation("Roll back to the previous revision if the leak started with a deployment", null,
                                "az containerapp revision list -n api-gateway -g rg-apps-eus2 -o table"),
                        new Recommendation("Add a memory alert at 80% of the limit", null, null)),
                List.of("Every replica regrows after its restart at about the same slope."));
    }

    public static Diagnosis peak() {
        Figures figures = new Figures(GIB, 1072668082d, 0.999, 40, null, 0.2, 0.91, 32, 30, 0, 0, 3, 10,
                null, null, null, null);
        return new Diagnosis(Diagnosis.Verdict.PEAK_DEMAND, List.of("A", "B", "C", "E", "H"), 0.78,
                List.of(Diagnosis.Cause.PEAK_DEMAND_OVER_LIMIT, Diagnosis.Cause.TOO_FEW_REPLICAS), figures,
                List.of(step("A", "Is the memory limit known?", "yes", Map.of("memoryLimitBytes", GIB)),
                        step("E", "Does growth follow traffic?", "yes", Map.of("trafficCorrelation", 0.91))),
                List.of(new Recommendation("Scale out earlier", "Lower concurrentRequests so more replicas share the peak.",
                        "az containerapp update -n ca-billing-worker -g rg --scale-rule-name http-scaler --scale-rule-http-concurrency 20")),
                List.of());
    }

    public static Diagnosis other() {
        Figures figures = new Figures(3 * GIB, 1024993076d, 0.32, 0, null, 0.01, null, 2, 0, 2, 0, 1, 1,
                null, null, null, null);
        return new Diagnosis(Diagnosis.Verdict.OTHER_CRASH_CAUSE, List.of("A", "B", "D"), 0.9,
                List.of(Diagnosis.Cause.NON_MEMORY_CRASH), figures,
                List.of(step("B", "Does the working set approach the limit?", "no", Map.of("peakToLimit", 0.32))),
                List.of(new Recommendation("Read the exit-1 stack trace", "The container exits with code 1 after a Redis connection failure.", null)),
                List.of());
    }

    /** The diagnosis for an example bundle by file name. */
    public static Diagnosis forExample(String example) {
        return switch (example) {
            case "leak-classic.json" -> leak();
            case "peak-spike.json" -> peak();
            case "other-apperror.json" -> other();
            default -> throw new IllegalArgumentException(example);
        };
    }

    public static List<String> examples() {
        return List.of("leak-classic.json", "peak-spike.json", "other-apperror.json");
    }

    private static DecisionStep step(String node, String q, String a, Map<String, Object> numbers) {
        return new DecisionStep(node, q, a, new LinkedHashMap<>(numbers));
    }
}
