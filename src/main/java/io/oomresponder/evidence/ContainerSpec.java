package io.oomresponder.evidence;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One container of the app template: {@code cpu} in cores, {@code memory} as ARM writes it
 * ("1.5Gi"), {@code memoryBytes} parsed from it (null when unknown). {@code probes} is an extra.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerSpec(
        String name,
        String image,
        Double cpu,
        String memory,
        Long memoryBytes,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ProbeSpec> probes) {

    public ContainerSpec {
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    /** The memory limit in bytes: {@code memoryBytes}, else parsed from {@code memory}; null when neither says. */
    public Long limitBytes() {
        return memoryBytes != null ? memoryBytes : MemoryQuantity.bytes(memory);
    }
}
