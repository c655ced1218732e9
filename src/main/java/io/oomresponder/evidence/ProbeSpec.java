package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A health probe of a container (Liveness, Readiness or Startup); an extra of the bundle format. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProbeSpec(
        String type,
        String transport,
        String path,
        Integer port,
        Integer initialDelaySeconds,
        Integer periodSeconds,
        Integer timeoutSeconds,
        Integer failureThreshold) {
}
