package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Something that could not be gathered: {@code source} is arm, metrics or logs. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EvidenceGap(String source, String detail) {
}
