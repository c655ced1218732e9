package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The workload profile an app runs on, as its managed environment declares it (ARM
 * {@code properties.workloadProfiles[]}: name, workloadProfileType, minimumCount, maximumCount),
 * with the size of that profile type from {@link WorkloadProfileSizes} where known. An extra of
 * the bundle format: absent for apps in a Consumption-only environment (no workload profiles).
 *
 * @param name         the profile's name in the environment ("Consumption", "gp-d4", ...)
 * @param type         its workloadProfileType ("Consumption", "D4", "E8", ...)
 * @param vCpus        vCPUs of one node of a Dedicated type, or the most one Consumption replica may have; null when unknown
 * @param memory       memory of the same, as Learn writes it ("16Gi"); null when unknown
 * @param memoryBytes  the same in bytes; null when unknown
 * @param minimumCount the profile's minimum node count (Dedicated only)
 * @param maximumCount the profile's maximum node count (Dedicated only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkloadProfile(
        String name,
        String type,
        Double vCpus,
        String memory,
        Long memoryBytes,
        Integer minimumCount,
        Integer maximumCount) {

    /** The profile type of the Consumption profile every workload-profiles environment has. */
    public static final String CONSUMPTION = "Consumption";

    /** Whether the app runs on reserved nodes of its own (Dedicated, GPU or Flex), not on the shared Consumption plan. */
    public boolean dedicated() {
        return type != null && !type.equalsIgnoreCase(CONSUMPTION);
    }

    /** A profile of this name and type with the size Learn publishes for the type (null sizes when unknown). */
    public static WorkloadProfile of(String name, String type, Integer minimumCount, Integer maximumCount) {
        return WorkloadProfileSizes.sizeOf(type)
                .map(s -> new WorkloadProfile(name, type, s.vCpus(), s.memory(), MemoryQuantity.bytes(s.memory()), minimumCount, maximumCount))
                .orElse(new WorkloadProfile(name, type, null, null, null, minimumCount, maximumCount));
    }
}
