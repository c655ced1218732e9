package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Objects;

/**
 * The container app's configuration at gathering time. The first seven fields are the bundle
 * format's; {@code location}, {@code environmentId}, {@code workspaceId} and {@code revisions}
 * are extras that tolerant readers ignore.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AppConfig(
        String resourceId,
        String name,
        String resourceGroup,
        String subscriptionId,
        String latestRevision,
        List<ContainerSpec> containers,
        ScaleSettings scale,
        @JsonInclude(JsonInclude.Include.NON_NULL) String location,
        @JsonInclude(JsonInclude.Include.NON_NULL) String environmentId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String workspaceId,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RevisionInfo> revisions) {

    public AppConfig {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(name, "name");
        containers = containers == null ? List.of() : List.copyOf(containers);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
    }

    /** The memory limit of the main (first) container in bytes, or null when unknown. */
    public Long memoryLimitBytes() {
        return containers.isEmpty() ? null : containers.get(0).memoryBytes();
    }
}
