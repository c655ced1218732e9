package io.oomresponder.diagnosis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One decision of the flowchart: the node (e.g. C), its question, the answer given and the
 * numbers that decided it, in the order a reader should see them.
 */
public record DecisionStep(String node, String question, String answer, Map<String, Object> numbers) {

    public DecisionStep {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        numbers = numbers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(numbers));
    }
}
