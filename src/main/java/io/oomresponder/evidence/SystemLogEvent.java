package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/** A Container Apps system log event (ContainerAppSystemLogs), reason and message as Azure writes them. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemLogEvent(Instant time, String revision, String replica, String reason, String type, String message) {
}
