package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * One revision of the app (an extra of the bundle format): a revision created shortly before the
 * first OOM kill is evidence of a regression.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RevisionInfo(
        String name,
        Instant createdAt,
        Boolean active,
        Integer trafficWeight,
        Integer replicas,
        String runningState,
        String healthState) {
}
