package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The container app's configuration at gathering time. The first seven fields are the bundle
 * format's; {@code location}, {@code environmentId}, {@code workspaceId}, {@code revisions},
 * {@code tags}, {@code workloadProfileName} and {@code workloadProfile} are extras that tolerant
 * readers ignore and that older bundles lack (they read as null or empty).
 *
 * @param containers          every container of the app's template, in ARM order (init containers excluded)
 * @param tags                the app's ARM tags (routing by {@code tag:} reads them)
 * @param workloadProfileName the app's {@code properties.workloadProfileName}; null in a Consumption-only environment
 * @param workloadProfile     that profile as the environment declares it, with its size; null when unknown
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
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RevisionInfo> revisions,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> tags,
        @JsonInclude(JsonInclude.Include.NON_NULL) String workloadProfileName,
        @JsonInclude(JsonInclude.Include.NON_NULL) WorkloadProfile workloadProfile) {

    public AppConfig {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(name, "name");
        containers = containers == null ? List.of() : List.copyOf(containers);
        revisions = revisions == null ? List.of() : List.copyOf(revisions);
        // Insertion order kept (ARM's), so a written bundle reads the same way twice.
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /** The configuration without tags or workload profile (bundles and code from before they were read). */
    public AppConfig(String resourceId, String name, String resourceGroup, String subscriptionId, String latestRevision,
                     List<ContainerSpec> containers, ScaleSettings scale, String location, String environmentId,
                     String workspaceId, List<RevisionInfo> revisions) {
        this(resourceId, name, resourceGroup, subscriptionId, latestRevision, containers, scale, location, environmentId,
                workspaceId, revisions, Map.of(), null, null);
    }

    /** The memory limit of the main (first) container in bytes, or null when unknown. */
    public Long memoryLimitBytes() {
        return containers.isEmpty() ? null : containers.get(0).memoryBytes();
    }

    /**
     * The memory limit of one replica: the sum of its containers' limits, because the replica's
     * WorkingSetBytes covers all of them. Null when there are no containers or any container's
     * limit is unknown (a partial sum would understate the limit).
     */
    @JsonIgnore
    public Long replicaMemoryLimitBytes() {
        if (containers.isEmpty()) {
            return null;
        }
        long sum = 0;
        for (ContainerSpec c : containers) {
            Long bytes = c.limitBytes();
            if (bytes == null) {
                return null;
            }
            sum += bytes;
        }
        return sum;
    }

    /** The container of this name (case-sensitive, as Kubernetes names are), if the template has it. */
    public java.util.Optional<ContainerSpec> container(String containerName) {
        return containers.stream().filter(c -> c.name() != null && c.name().equals(containerName)).findFirst();
    }

    /** The same configuration in another place: region, environment, workspace and revisions (the simulator's defaults). */
    public AppConfig withPlace(String location, String environmentId, String workspaceId, List<RevisionInfo> revisions) {
        return new AppConfig(resourceId, name, resourceGroup, subscriptionId, latestRevision, containers, scale, location,
                environmentId, workspaceId, revisions, tags, workloadProfileName, workloadProfile);
    }
}
