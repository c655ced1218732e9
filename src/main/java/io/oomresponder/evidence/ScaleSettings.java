package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;

/** The app's scale settings: replica bounds and scale rules. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScaleSettings(Integer minReplicas, Integer maxReplicas, List<Rule> rules) {

    public ScaleSettings {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** One scale rule: {@code type} is http, tcp, azure-queue, custom, ...; metadata as configured. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rule(String name, String type, Map<String, String> metadata) {
        public Rule {
            metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        }
    }
}
