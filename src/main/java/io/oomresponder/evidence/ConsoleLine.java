package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** One console line of a container (ContainerAppConsoleLogs). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConsoleLine(Instant time, String revision, String replica, String container, String stream, String message) {
}
